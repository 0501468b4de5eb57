import { ArkerError } from "./errors";
import { locationOrigin, type ResponseHeaders } from "./response-headers";

/** Whether a status is a success the SDK reads: 2xx only (a 3xx is never followed). */
export function isSuccessStatus(status: number): boolean {
  return status >= 200 && status < 300;
}

/**
 * The error of an answer that is neither 2xx nor an error status (1xx, 3xx): `internal`,
 * not retried. The SDK never follows a redirect: the API has none, and following one
 * would send the API key or a file's bytes to wherever the answer points. The message
 * names the `Location` origin only (its path may be signed).
 */
export function unexpectedStatusError(
  status: number,
  headers: ResponseHeaders,
  requestId: string | null,
): ArkerError {
  const origin = locationOrigin(headers);
  const where = origin ? ` to ${origin}` : "";
  return new ArkerError(
    "internal",
    `unexpected HTTP ${status}${where}; the SDK does not follow redirects`,
    status,
    { requestId },
  );
}

const MALFORMED_HTTP_CODES = new Set(["UND_ERR_HEADERS_OVERFLOW"]);

/**
 * An answer undici could not parse as HTTP (headers over its size limit, a broken
 * status line or header): `internal`, not retried, since the same server would answer
 * the same way. `null` for any other failure (resets and timeouts stay `network_error`).
 * The cause is left off: undici's parser error carries the raw bytes it choked on.
 */
export function malformedHttpError(
  cause: unknown,
  redact: (text: string) => string,
): ArkerError | null {
  if (!(cause instanceof Error)) return null;
  const code = (cause as { code?: unknown }).code;
  // undici's parser errors carry an HPE_* code, except some (a bad Content-Length) none.
  const parserError =
    cause.name === "HTTPParserError" || (typeof code === "string" && code.startsWith("HPE_"));
  if (!parserError && !(typeof code === "string" && MALFORMED_HTTP_CODES.has(code))) return null;
  const label = typeof code === "string" ? code : cause.name;
  return new ArkerError(
    "internal",
    redact(`malformed HTTP answer (${label}): ${cause.message}`),
    0,
  );
}
