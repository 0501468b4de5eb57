import type { Dispatcher } from "undici";
import type { ConnectionOptions } from "./config";
import type { ArkerLogger, LogLevel } from "./logger";
import type { RetryOptions } from "./retry";

/** Default per-attempt timeout: longer than the service's 30 s synchronous run window. */
export const DEFAULT_TIMEOUT_MS = 60_000;
/**
 * The longest timer Node can arm (2³¹ − 1 ms, about 24.8 days). A longer `setTimeout`
 * silently fires after 1 ms, so longer timeouts are refused rather than shortened.
 */
export const MAX_TIMEOUT_MS = 2_147_483_647;
/** Default cap on open connections per host of the client's own keep-alive pool. */
export const DEFAULT_MAX_CONNECTIONS = 64;
/**
 * Default cap on one JSON answer (success or error), in bytes: 64 MiB, far above the
 * contract's largest answers (a 4 MiB file inline is about 5.6 MiB of base64; a page
 * holds at most 1 000 items) and low enough that a server streaming an endless body
 * cannot grow the client without bound.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** Options of {@link ArkerClient} (and of the `Arker` class, which passes them through). */
export interface ArkerClientOptions extends ConnectionOptions {
  /** Retry policy for transient failures, or `false` to try once. Default `{ attempts: 4, baseDelayMs: 200, maxDelayMs: 2000 }`. */
  retry?: RetryOptions | false;
  /**
   * Per-attempt timeout in milliseconds, restarted by every byte that arrives: for JSON
   * calls it is undici's `headersTimeout` and `bodyTimeout` (honoured by undici's Agent,
   * Pool and ProxyAgent; an in-memory dispatcher such as `MockAgent` or the fake's
   * in-process door ignores it), for signed-URL transfers the SDK's own inactivity timer.
   * undici checks its timeouts on a coarse clock, so a JSON call may outlive a sub-second
   * timeout by up to about a second. A finite number from 1 to {@link MAX_TIMEOUT_MS}
   * (Node's longest timer), else `bad_request`. Default 60 000.
   *
   * It is not a total deadline: a server that sends one byte at a time keeps an attempt
   * alive, and a call may make several attempts. For a bound on the whole call pass
   * `signal: AbortSignal.timeout(ms)` to the call; it fails with `aborted`.
   */
  timeoutMs?: number;
  /**
   * The most bytes the client reads of one JSON answer (success or error). An answer
   * with a larger `Content-Length`, or a body that grows past it while streaming, fails
   * with `internal` naming the cap, and its connection is closed. Signed-URL downloads
   * are bounded by the size the API announced instead. A positive integer, else
   * `bad_request`. Default {@link DEFAULT_MAX_RESPONSE_BYTES} (64 MiB).
   */
  maxResponseBytes?: number;
  /**
   * The undici Dispatcher to send through: a proxy agent, a `MockAgent`, or the fake
   * server's in-process dispatcher. Default: a keep-alive `Agent` owned by the client.
   */
  dispatcher?: Dispatcher;
  /** Most open connections per host for the client's own pool. Default 64. */
  maxConnections?: number;
  /** Where log lines go. Default: stderr. */
  logger?: ArkerLogger;
  /** Which lines to write; `debug` traces every attempt. Default: `ARKER_LOG`, else `off`. */
  logLevel?: LogLevel;
  /**
   * Where the `ARKER_*` fallbacks are read from. Default: `process.env`. A CLI or a test
   * passes its own map so that nothing leaks in from the surrounding process.
   */
  env?: Record<string, string | undefined>;
}
