import { UsageError } from "./errors";

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parses one `--env K=V` value. The value is everything after the first `=` (it may
 * hold `=` itself, or be empty); the name must be a shell identifier.
 *
 * @example parseEnvAssignment("PATH=/bin:/usr/bin") // ["PATH", "/bin:/usr/bin"]
 */
export function parseEnvAssignment(text: string): [string, string] {
  const equals = text.indexOf("=");
  if (equals <= 0) throw new UsageError(`--env expects K=V; got "${text}"`);
  const name = text.slice(0, equals);
  if (!ENV_NAME.test(name)) {
    throw new UsageError(`--env name must be letters, digits and _ (not first); got "${name}"`);
  }
  return [name, text.slice(equals + 1)];
}

/** Collects repeated `--env K=V` flags into one object; a later `K` wins. */
export function collectEnv(
  value: string,
  previous: Record<string, string> | undefined,
): Record<string, string> {
  const [name, envValue] = parseEnvAssignment(value);
  return { ...(previous ?? {}), [name]: envValue };
}

/**
 * Parses a whole number within bounds, for flags like `--limit` or `--vcpus`.
 *
 * @param flag the flag name, for the error message
 */
export function parseInteger(
  text: string,
  flag: string,
  bounds: { min?: number; max?: number } = {},
): number {
  if (!/^-?\d+$/.test(text.trim()))
    throw new UsageError(`${flag} expects a whole number; got "${text}"`);
  const value = Number(text.trim());
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = bounds;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = bounds.max === undefined ? `at least ${min}` : `between ${min} and ${bounds.max}`;
    throw new UsageError(`${flag} must be ${range}; got ${text}`);
  }
  return value;
}

/** `parseInteger` bound to a flag name, for commander's option parsers. */
export function integerOption(flag: string, bounds: { min?: number; max?: number } = {}) {
  return (text: string): number => parseInteger(text, flag, bounds);
}

/**
 * The `state` filter values of `arker ls` (`idle`, `running`) and `arker runs ls`
 * (`running`, `completed`, `failed`, `cancelled`).
 */
export function choiceOption<T extends string>(flag: string, choices: readonly T[]) {
  return (text: string): T => {
    if ((choices as readonly string[]).includes(text)) return text as T;
    throw new UsageError(`${flag} must be one of ${choices.join(", ")}; got "${text}"`);
  };
}
