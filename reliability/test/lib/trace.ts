import type { ArkerLogger } from "@arker-ai/core";

/** A logger that keeps every line the SDK writes and counts the retries it announces. */
export interface CapturingLogger extends ArkerLogger {
  /** Every line, in order (bounded: the oldest are dropped past `keep`). */
  readonly lines: string[];
  /** Retries announced by the trace (`arker retry …`), total. */
  retries: number;
  /** Retries by the error code that caused them. */
  readonly retriesByCode: Record<string, number>;
  /** Attempts traced (one line per attempt). */
  attempts: number;
}

const RETRY_LINE = /^arker retry \d+ of \S+ \S+ in \d+ms after (\S+)$/;

/**
 * A logger for `logLevel: "debug"` that records the trace: every line (up to `keep`, for
 * secret searches) and a count of retries by cause.
 */
export function capturingLogger(keep = Number.POSITIVE_INFINITY): CapturingLogger {
  const logger: CapturingLogger = {
    lines: [],
    retries: 0,
    retriesByCode: {},
    attempts: 0,
    debug: (message) => record(message),
    info: (message) => record(message),
    warn: (message) => record(message),
    error: (message) => record(message),
  };
  function record(message: string): void {
    if (logger.lines.length < keep) logger.lines.push(message);
    const retry = RETRY_LINE.exec(message);
    if (retry) {
      logger.retries++;
      const code = retry[1]!;
      logger.retriesByCode[code] = (logger.retriesByCode[code] ?? 0) + 1;
    } else if (message.startsWith("arker ")) {
      logger.attempts++;
    }
  }
  return logger;
}
