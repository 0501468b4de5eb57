/** Per-call controls every resource method accepts. */
export interface CallOptions {
  /** Cancels the call, including any retry backoff; the call then rejects with `aborted`. */
  signal?: AbortSignal;
  /** Overrides the client's per-attempt timeout for this call, in milliseconds. */
  timeoutMs?: number;
}

/** Picks the transport controls out of a method's options, leaving unset ones out. */
export function callControls(options: CallOptions | undefined): CallOptions {
  const controls: CallOptions = {};
  if (options?.signal !== undefined) controls.signal = options.signal;
  if (options?.timeoutMs !== undefined) controls.timeoutMs = options.timeoutMs;
  return controls;
}
