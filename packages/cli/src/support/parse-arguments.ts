import {
  envProblem,
  idempotencyKeyProblem,
  limitProblem,
  pathProblem,
} from "@arker-ai/core/contract";
import { UsageError } from "./errors";

/**
 * Parses one `--env K=V` value. The value is everything after the first `=` (it may
 * hold `=` itself, or be empty); the name follows the contract's rule (`envProblem`).
 *
 * @example parseEnvAssignment("PATH=/bin:/usr/bin") // ["PATH", "/bin:/usr/bin"]
 */
export function parseEnvAssignment(text: string): [string, string] {
  const equals = text.indexOf("=");
  if (equals <= 0) throw new UsageError(`--env expects K=V; got "${text}"`);
  const name = text.slice(0, equals);
  const value = text.slice(equals + 1);
  const problem = envProblem({ [name]: value }, "--env");
  if (problem !== undefined) throw new UsageError(problem);
  return [name, value];
}

/** Collects repeated `--env K=V` flags into one object; a later `K` wins. */
export function collectEnv(
  value: string,
  previous: Record<string, string> | undefined,
): Record<string, string> {
  const [name, envValue] = parseEnvAssignment(value);
  return { ...(previous ?? {}), [name]: envValue };
}

/** The range a numeric flag accepts: the contract's limits where it has them. */
export interface IntegerBounds {
  /** The smallest value. */
  min?: number;
  /** The largest value. */
  max?: number;
  /** Values must be a multiple of this (memory: 256 MiB). */
  step?: number;
}

/**
 * Parses a whole number within bounds, for flags like `--timeout` or `--vcpus`. The one
 * rule for every numeric flag: out of range is a usage error (exit 2) before anything
 * is sent, never a server `bad_request`.
 *
 * @param flag the flag name, for the error message
 */
export function parseInteger(text: string, flag: string, bounds: IntegerBounds = {}): number {
  if (!/^-?\d+$/.test(text.trim()))
    throw new UsageError(`${flag} expects a whole number; got "${text}"`);
  const value = Number(text.trim());
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER, step } = bounds;
  const offStep = step !== undefined && value % step !== 0;
  if (!Number.isSafeInteger(value) || value < min || value > max || offStep) {
    const range = bounds.max === undefined ? `at least ${min}` : `between ${min} and ${bounds.max}`;
    const multiple = step === undefined ? "" : `a multiple of ${step} `;
    throw new UsageError(`${flag} must be ${multiple}${range}; got ${text}`);
  }
  return value;
}

/** `parseInteger` bound to a flag name, for commander's option parsers. */
export function integerOption(flag: string, bounds: IntegerBounds = {}) {
  return (text: string): number => parseInteger(text, flag, bounds);
}

/**
 * A choice among fixed values, e.g. the `state` filter of `arker ls` (`idle`,
 * `running`) or of `arker runs ls` (the contract's run states).
 */
export function choiceOption<T extends string>(flag: string, choices: readonly T[]) {
  return (text: string): T => {
    if ((choices as readonly string[]).includes(text)) return text as T;
    throw new UsageError(`${flag} must be one of ${choices.join(", ")}; got "${text}"`);
  };
}

/** Parses `--limit`: a whole number the contract accepts as a page size (`limitProblem`). */
export function parseLimit(text: string): number {
  const limit = parseInteger(text, "--limit");
  const problem = limitProblem(limit);
  if (problem !== undefined) throw new UsageError(flagProblem("--limit", "limit", problem));
  return limit;
}

/** Parses `--cwd`: a path inside the VM by the contract's rule (`pathProblem`). */
export function parseCwd(text: string): string {
  const problem = pathProblem(text, "--cwd");
  if (problem !== undefined) throw new UsageError(problem);
  return text;
}

/** Parses `--idempotency-key` by the contract's rule (`idempotencyKeyProblem`). */
export function parseIdempotencyKey(text: string): string {
  const problem = idempotencyKeyProblem(text);
  if (problem !== undefined) {
    throw new UsageError(flagProblem("--idempotency-key", "idempotencyKey", problem));
  }
  return text;
}

/** A contract problem worded for the flag: its leading field name becomes the flag. */
function flagProblem(flag: string, field: string, problem: string): string {
  return problem.startsWith(field)
    ? `${flag}${problem.slice(field.length)}`
    : `${flag}: ${problem}`;
}
