/**
 * A per-attempt timer joined with the caller's signal. `touch()` restarts the timer,
 * which turns it into an inactivity timeout for long transfers.
 */
export class AttemptDeadline {
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
