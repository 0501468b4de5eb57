import type { ErrorCode } from "./wire";

const BRAND = Symbol.for("arker.error");

/** Extra facts an {@link ArkerError} may carry. */
export interface ArkerErrorDetails {
  /** The `x-request-id` of the response that failed, when there was one. */
  requestId?: string | null;
  /** Whether the SDK's retry policy treats this failure as transient. */
  retryable?: boolean;
  /** The underlying error (a network failure, an abort, a parse error). */
  cause?: unknown;
  /** The `Idempotency-Key` the failed mutating call was sent with. */
  idempotencyKey?: string | null;
}

/**
 * The one error type of the Arker SDK. Every failure — a server error, a network
 * failure after the last retry, a bad argument caught before sending — is an
 * `ArkerError` with a stable `code`.
 *
 * `message` is `"<code>: <server message>"`, as the 0.5 SDK had it. The API key never
 * appears in it.
 *
 * @example
 * try { await vm.sync("/nope"); }
 * catch (err) { if (ArkerError.is(err) && err.code === "not_found") … }
 */
export class ArkerError extends Error {
  /** A stable machine-readable code such as `not_found` (see docs/arker-api.md §3). */
  readonly code: ErrorCode | (string & {});
  /** The HTTP status; 0 for a network failure, 400 for client-side validation. */
  readonly status: number;
  /** The `x-request-id` of the failed response, or `null` when none was received. */
  readonly requestId: string | null;
  /** Whether retrying the same call may succeed. */
  readonly retryable: boolean;
  /**
   * The `Idempotency-Key` of the mutating call that failed (the caller's own, or the
   * fresh one the SDK chose), or `null` for a call without one. Retrying with
   * `{ idempotencyKey: err.idempotencyKey }` after a timeout or a crash cannot run the
   * operation twice: the service replays the first answer for a known key.
   */
  readonly idempotencyKey: string | null;

  constructor(
    code: ErrorCode | (string & {}),
    message: string,
    status: number,
    details: ArkerErrorDetails = {},
  ) {
    super(
      `${code}: ${message}`,
      details.cause === undefined ? undefined : { cause: details.cause },
    );
    this.name = "ArkerError";
    this.code = code;
    this.status = status;
    this.requestId = details.requestId ?? null;
    this.retryable = details.retryable ?? false;
    this.idempotencyKey = details.idempotencyKey ?? null;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /**
   * True for any `ArkerError`, including one thrown by another installed copy of
   * `@arker-ai/core` (where `instanceof` would say false).
   */
  static is(value: unknown): value is ArkerError {
    return typeof value === "object" && value !== null && BRAND in value;
  }

  /** Serialises without the stack, for logs and `--json` output. */
  toJSON(): { code: string; message: string; status: number; requestId: string | null } {
    return {
      code: this.code,
      message: this.message,
      status: this.status,
      requestId: this.requestId,
    };
  }
}

/**
 * Marks a failure with the `Idempotency-Key` of the call it ended, once: an error that
 * already carries a key keeps it. Anything that is not an `ArkerError` passes unchanged.
 */
export function withIdempotencyKey(error: unknown, key: string | null): unknown {
  if (key === null || !ArkerError.is(error) || error.idempotencyKey !== null) return error;
  // The field is read-only to callers; the call that chose the key sets it once.
  Object.defineProperty(error, "idempotencyKey", { value: key, enumerable: true });
  return error;
}

/** A `bad_request` raised before any request is sent (client-side validation). */
export function badRequest(message: string): ArkerError {
  return new ArkerError("bad_request", message, 400);
}

/** The one `aborted` error: the caller's signal fired (`reason` becomes its `cause`). */
export function abortedError(reason: unknown): ArkerError {
  return new ArkerError("aborted", "the call was aborted", 0, { cause: reason });
}

/**
 * The one "malformed response" error: a 2xx answer the SDK cannot read (`internal`,
 * not retryable). `detail` says what was wrong, e.g. `run response has no run_id`.
 */
export function malformedResponse(
  detail: string,
  requestId: string | null,
  status = 200,
): ArkerError {
  return new ArkerError("internal", `malformed response: ${detail}`, status, { requestId });
}

const MAX_UNPARSED_BODY_CHARS = 300;

/**
 * Reads an error out of a response body in the three envelopes the API has used, in
 * order: flat `{code, message}`, nested `{error: {code, message}}`, legacy
 * `{ok: false, error: {...}}`. A body that is none of them becomes `internal` with its
 * first 300 characters.
 */
export function parseErrorBody(status: number, text: string): { code: string; message: string } {
  const parsed = tryParseJson(text);
  const envelope = readEnvelope(parsed);
  if (envelope) return envelope;
  const snippet = text.slice(0, MAX_UNPARSED_BODY_CHARS);
  return { code: "internal", message: `HTTP ${status}${snippet ? `: ${snippet}` : ""}` };
}

function readEnvelope(value: unknown): { code: string; message: string } | null {
  if (!isRecord(value)) return null;
  if (typeof value.code === "string") {
    return { code: value.code, message: typeof value.message === "string" ? value.message : "" };
  }
  const inner = value.error;
  if (isRecord(inner) && typeof inner.code === "string") {
    return { code: inner.code, message: typeof inner.message === "string" ? inner.message : "" };
  }
  return null;
}

function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** True for a plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
