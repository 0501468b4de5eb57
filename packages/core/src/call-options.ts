/** Per-call controls every resource method accepts. */
export interface CallOptions {
  /** Cancels the call, including any retry backoff; the call then rejects with `aborted`. */
  signal?: AbortSignal;
  /** Overrides the client's per-attempt timeout for this call, in milliseconds. */
  timeoutMs?: number;
  /**
   * For a mutating call: the `Idempotency-Key` (1–64 printable ASCII, no spaces). The
   * same key and body within 24 h returns the first answer instead of acting again.
   * Default: a fresh key per call, reused on its retries; a failure carries the key
   * used in `ArkerError.idempotencyKey`. Read-only calls refuse one (`bad_request`).
   */
  idempotencyKey?: string;
}

/** Picks the transport controls (`signal`, `timeoutMs`) out of a method's options. */
export function callControls(
  options: CallOptions | undefined,
): Pick<CallOptions, "signal" | "timeoutMs"> {
  const controls: Pick<CallOptions, "signal" | "timeoutMs"> = {};
  if (options?.signal !== undefined) controls.signal = options.signal;
  if (options?.timeoutMs !== undefined) controls.timeoutMs = options.timeoutMs;
  return controls;
}
