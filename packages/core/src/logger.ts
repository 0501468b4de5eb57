import { createRedactor } from "./redact";

/** Log levels, most verbose first. `off` silences the SDK. */
export type LogLevel = "debug" | "info" | "warn" | "error" | "off";

/** Where the SDK writes its lines. `console` fits. */
export interface ArkerLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, off: 4 };

/** Reads a level name (e.g. from `ARKER_LOG`); unknown names mean `off`. */
export function parseLogLevel(value: string | undefined): LogLevel {
  const level = value?.trim().toLowerCase();
  return level && level in LEVEL_ORDER ? (level as LogLevel) : "off";
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
