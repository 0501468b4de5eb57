/** What the retry loop needs of an attempt's timer. */
export interface AttemptTimer {
  /** The signal to pass to undici, if any. */
  readonly signal: AbortSignal | undefined;
  /** Whether the timer, not the caller, ended the attempt. */
  readonly timedOut: boolean;
  /** Restarts the timer (a chunk moved). */
  touch(): void;
  /** Stops the timer. */
  clear(): void;
}

/**
 * The timer of a JSON call: none of its own. undici enforces the timeout through its
 * `headersTimeout` / `bodyTimeout` dispatch options, which costs nothing per call,
 * while an AbortController, a timer and an abort listener per call made up about half
 * of the SDK's overhead over raw undici (BENCHMARKS.md, row 1).
 */
export function callerSignalOnly(signal: AbortSignal | undefined): AttemptTimer {
  return { signal, timedOut: false, touch() {}, clear() {} };
}

/**
 * A per-attempt timer joined with the caller's signal. `touch()` restarts the timer,
 * which turns it into an inactivity timeout for long transfers.
 */
export class AttemptDeadline implements AttemptTimer {
  readonly signal: AbortSignal;
  #controller = new AbortController();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timedOut = false;
  readonly #ms: number;

  constructor(ms: number, callerSignal?: AbortSignal) {
    this.#ms = ms;
    this.signal = callerSignal
      ? AbortSignal.any([callerSignal, this.#controller.signal])
      : this.#controller.signal;
    this.touch();
  }

  /** Whether the timer, not the caller, ended the attempt. */
  get timedOut(): boolean {
    return this.#timedOut;
  }

  /** Restarts the timer. */
  touch(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      this.#controller.abort(new Error(`attempt timed out after ${this.#ms} ms`));
    }, this.#ms);
  }

  /** Stops the timer; call when the attempt is over. */
  clear(): void {
    clearTimeout(this.#timer);
  }
}
