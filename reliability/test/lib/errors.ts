import { ArkerError } from "@arker-ai/core";
import { isRetryableResponse } from "@arker-ai/core/internal";

/**
 * Whether an error should be retryable by the policy of docs/arker-api.md §3, judged from
 * its code and status alone (independently of the flag the SDK set).
 */
export function expectedRetryable(error: ArkerError): boolean {
  if (error.code === "network_error") return true;
  if (error.code === "aborted" || error.status === 0) return false;
  // An answer the SDK could not read (a 2xx it could not parse): not worth retrying.
  if (error.status < 400) return false;
  const detail = error.message.startsWith(`${error.code}: `)
    ? error.message.slice(error.code.length + 2)
    : error.message;
  return isRetryableResponse(error.status, error.code, detail);
}

/** Why an error is not a well-formed `ArkerError` with the right `retryable`, or `null`. */
export function errorDefect(error: unknown): string | null {
  if (!ArkerError.is(error)) return `not an ArkerError: ${String(error)}`;
  if (!error.message.startsWith(`${error.code}: `))
    return `message does not start with its code: ${error.message}`;
  if (error.retryable !== expectedRetryable(error))
    return `${error.code} (${error.status}) has retryable=${error.retryable}`;
  return null;
}
