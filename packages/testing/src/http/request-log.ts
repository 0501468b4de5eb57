/**
 * The request log: one entry per request, never holding the authorization header or
 * any API key.
 *
 * @module
 */

/** One logged request. */
export interface RequestLogEntry {
  /** The `x-request-id` the fake answered with. */
  requestId: string;
  /** HTTP method. */
  method: string;
  /** Request path without the query string (as sent, `/api` prefix included). */
  path: string;
  /** Query string without the leading `?`, or `""`. */
  query: string;
  /** Status answered, or 0 when the connection was reset. */
  status: number;
  /** The `Idempotency-Key` header, if any. */
  idempotencyKey: string | null;
  /** The org of the API key, or `null` when unauthenticated. */
  orgId: string | null;
  /** Real time spent handling, in ms. */
  durationMs: number;
  /** Fake time the request arrived, RFC 3339. */
  at: string;
  /** Whether the answer was an idempotent replay. */
  replayed: boolean;
  /** Which fault effect applied, if any. */
  fault: string | null;
}

/** A bounded request log (oldest entries drop past `capacity`). */
export class RequestLog {
  #entries: RequestLogEntry[] = [];
  readonly #capacity: number;

  /** Creates a log keeping at most `capacity` entries. */
  constructor(capacity = 10_000) {
    this.#capacity = capacity;
  }

  /** Appends an entry. */
  push(entry: RequestLogEntry): void {
    this.#entries.push(entry);
    // Trimming in batches keeps a push O(1) amortised under heavy load.
    if (this.#entries.length >= this.#capacity * 2)
      this.#entries = this.#entries.slice(-this.#capacity);
  }

  /** A frozen copy of the newest `capacity` entries, oldest first. */
  snapshot(): readonly RequestLogEntry[] {
    return Object.freeze(
      this.#entries.slice(-this.#capacity).map((entry) => Object.freeze({ ...entry })),
    );
  }

  /** Drops every entry. */
  clear(): void {
    this.#entries = [];
  }
}
