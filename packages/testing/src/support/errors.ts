import { ERROR_STATUS } from "@arker-ai/core/wire";

/**
 * The fake's error type: thrown by route handlers, turned into the flat envelope
 * `{ code, message }` with the status of `ERROR_STATUS`.
 *
 * @module
 */

/** A server-side error code. */
export type ServerErrorCode = keyof typeof ERROR_STATUS;

/** An API error with its HTTP status. */
export class ApiError extends Error {
  /** The error code sent in the envelope. */
  readonly code: ServerErrorCode;
  /** The HTTP status. */
  readonly status: number;

  /** Creates an error; the status defaults to the code's status in the contract. */
  constructor(code: ServerErrorCode, message: string, status: number = ERROR_STATUS[code]) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = status;
  }
}

/** A 400 `bad_request`. */
export function badRequest(message: string): ApiError {
  return new ApiError("bad_request", message);
}

/** A 404 `not_found`. */
export function notFound(message: string): ApiError {
  return new ApiError("not_found", message);
}
