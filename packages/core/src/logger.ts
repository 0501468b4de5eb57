import type { LogLevel } from "./contract/enums";
import { parseLogLevel } from "./contract/rules";
import { createRedactor } from "./redact";

export type { LogLevel } from "./contract/enums";
export { parseLogLevel } from "./contract/rules";

/** Where the SDK writes its lines. `console` fits. */
export interface ArkerLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, off: 4 };

const warnedLevels = new Set<string>();

/**
 * The level of a client: the `logLevel` option, else `ARKER_LOG` read with the
 * contract's `parseLogLevel`, else `off`. An unknown `ARKER_LOG` value leaves logging
 * `off` and is reported once per process (per value) on the sink's `warn`: a typo is
 * visible, and a program that makes many clients is not flooded.
 */
export function resolveLogLevel(
  option: LogLevel | undefined,
  envValue: string | undefined,
  sink: ArkerLogger,
): LogLevel {
  if (option !== undefined) return option;
  const level = parseLogLevel(envValue);
  if (level !== undefined) return level;
  const name = envValue?.trim() ?? "";
  if (name !== "" && !warnedLevels.has(name)) {
    warnedLevels.add(name);
    sink.warn(
      `arker: ARKER_LOG=${JSON.stringify(name.slice(0, 40))} is not a log level (debug, info, warn, error, off); logging stays off`,
    );
  }
  return "off";
}

/**
 * A logger that drops lines below `level` and removes every occurrence of each secret
 * before a line leaves the SDK.
 */
export function createRedactingLogger(
  sink: ArkerLogger,
  level: LogLevel,
  secrets: readonly string[],
): ArkerLogger {
  const redact = createRedactor(secrets);
  const at = (wanted: LogLevel) => (message: string) => {
    if (LEVEL_ORDER[wanted] >= LEVEL_ORDER[level])
      sink[wanted as Exclude<LogLevel, "off">](redact(message));
  };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/** Writes to stderr, so traces never mix with a program's data on stdout. */
export const stderrLogger: ArkerLogger = {
  debug: (message) => console.error(message),
  info: (message) => console.error(message),
  warn: (message) => console.error(message),
  error: (message) => console.error(message),
};
