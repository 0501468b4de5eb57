import type { HttpMethod } from "./contract/routes";

/** A query string value; `undefined` and `null` are left out. */
export type QueryValue = string | number | boolean | null | undefined;

/** What a resource method asks of the pipeline: everything else is done once, here. */
export interface RequestSpec {
  method: HttpMethod;
  /** The route below the base URL, starting with `/v1/` (see `routePath` of the contract). */
  path: string;
  /** Which base URL: `compute` (default) or `control` (the cross-region VM list). */
  host?: "compute" | "control";
  /** Whether to send `authorization: Bearer <apiKey>` (default `true`). */
  auth?: boolean;
  query?: Record<string, QueryValue>;
  /**
   * A JSON body (a value to stringify), sent as `application/json`; or raw bytes (a
   * `Uint8Array`), sent as `application/octet-stream` in chunks that restart the
   * per-attempt timer, so a large body is not cut off while it is still moving.
   */
  body?: unknown;
  /**
   * Asks for a raw-bytes answer (`Accept: application/octet-stream`, JSON still
   * accepted): an `application/octet-stream` answer's `data` is then its `Uint8Array`.
   */
  acceptBytes?: boolean;
  /** For a raw body: called as its bytes are sent, with the count so far and the total. */
  onBodyProgress?: (sentBytes: number, totalBytes: number) => void;
  /**
   * The `Idempotency-Key` header. POST and DELETE get a fresh key per logical call by
   * default, reused on every retry; pass a string to choose it, or `false` for routes
   * that are idempotent by other means (file sync, on `upload_id`).
   */
  idempotencyKey?: string | false;
  /** Cancels the call, including a backoff sleep between tries. */
  signal?: AbortSignal;
  /** Overrides the client's per-attempt timeout. */
  timeoutMs?: number;
}
