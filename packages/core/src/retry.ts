/** How the SDK retries transient failures (docs/arker-api.md §3). */
export interface RetryOptions {
  /** Total tries, the first included. Default 4; clamped to 1–100. */
  attempts?: number;
  /** The delay before the first retry, in milliseconds; it doubles each retry. Default 200. */
  baseDelayMs?: number;
  /** The longest delay between tries, in milliseconds; also caps `Retry-After`. Default 2000. */
  maxDelayMs?: number;
}

/** A fully resolved retry policy. */
export type RetryPolicy = Required<RetryOptions>;

/** The defaults of docs/arker-api.md §3. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 200, maxDelayMs: 2000 };

/** The policy that never retries (`retry: false`). */
export const NO_RETRY: RetryPolicy = { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 };

const MAX_JITTER_MS = 50;
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
const RETRYABLE_CODES = new Set(["routing_unavailable", "unavailable", "temporarily_unavailable"]);
const TRANSIENT_INTERNAL_HINTS = [
  "503",
  "Service Unavailable",
  "throttle",
  "SlowDown",
  "ThrottlingException",
];

/** Most tries a policy makes, whatever was asked (`Infinity` included). */
export const MAX_ATTEMPTS = 100;
/** Longest delay a policy waits: one Node timer (a longer `setTimeout` fires after 1 ms). */
const MAX_DELAY_MS = 2_147_483_647;

/**
 * Resolves the `retry` client option; throws nothing, clamps nonsense to sane bounds:
 * `attempts` to an integer from 1 to {@link MAX_ATTEMPTS}, delays to 0 … 2³¹−1 ms; a
 * value that is not a number (or NaN) falls back to its default.
 */
export function resolveRetryPolicy(option: RetryOptions | false | undefined): RetryPolicy {
  if (option === false) return NO_RETRY;
  const merged = { ...DEFAULT_RETRY, ...stripUndefined(option ?? {}) };
  return {
    attempts: Math.floor(clamp(merged.attempts, DEFAULT_RETRY.attempts, 1, MAX_ATTEMPTS)),
    baseDelayMs: clamp(merged.baseDelayMs, DEFAULT_RETRY.baseDelayMs, 0, MAX_DELAY_MS),
    maxDelayMs: clamp(merged.maxDelayMs, DEFAULT_RETRY.maxDelayMs, 0, MAX_DELAY_MS),
  };
}

function clamp(value: unknown, fallback: number, min: number, max: number): number {
  if (typeof value !== "number" || Number.isNaN(value)) return fallback;
  return Math.min(max, Math.max(min, value));
}

/** Whether an HTTP error answer is worth another try. */
export function isRetryableResponse(status: number, code: string, message: string): boolean {
  if (RETRYABLE_STATUSES.has(status) || RETRYABLE_CODES.has(code)) return true;
  return code === "internal" && TRANSIENT_INTERNAL_HINTS.some((hint) => message.includes(hint));
}

/**
 * The wait before retry number `retry` (1 for the first retry):
 * `min(maxDelayMs, baseDelayMs·2^(retry-1)) + jitter(0–50 ms)`, or the server's
 * `Retry-After` capped at `maxDelayMs` when it sent one.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  retry: number,
  retryAfterMs: number | null,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== null) return Math.min(policy.maxDelayMs, retryAfterMs);
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return exponential + Math.floor(random() * (MAX_JITTER_MS + 1));
}

/** Reads `Retry-After` as seconds or an HTTP date; `null` when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | null {
  if (value === null || value === undefined || value.trim() === "") return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function stripUndefined(options: RetryOptions): RetryOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}
