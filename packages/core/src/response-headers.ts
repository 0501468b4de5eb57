import type { Redactor } from "./redact";

/** Response headers as undici hands them over. */
export type ResponseHeaders = Record<string, string | string[] | undefined>;

/** A request id the SDK keeps: printable ASCII without spaces, at most 200 characters. */
const REQUEST_ID_PATTERN = /^[\x21-\x7e]{1,200}$/;

/** The first value of a header, or `null`. */
export function headerValue(value: string | string[] | undefined): string | null {
  if (Array.isArray(value)) return value[0] ?? null;
  return value ?? null;
}

/**
 * The `x-request-id` of an answer, redacted; `null` when absent or not shaped like an
 * id (a huge or binary value is dropped rather than carried into every error and log).
 */
export function requestIdOf(headers: ResponseHeaders, redact: Redactor): string | null {
  const value = headerValue(headers["x-request-id"]);
  if (value === null || !REQUEST_ID_PATTERN.test(value)) return null;
  return redact(value);
}

/** The origin a `Location` header points to, or `null` (never its path: it may be signed). */
export function locationOrigin(headers: ResponseHeaders): string | null {
  const value = headerValue(headers.location);
  if (value === null) return null;
  try {
    const origin = new URL(value).origin;
    return origin === "null" ? null : origin;
  } catch {
    return null;
  }
}
