import type { EngineClock } from "../support/clock.js";

/**
 * The `"auto"` clock's driver: fake time jumps to the next due timer only when the
 * engine is quiescent (the clock checks that before every jump) and a client waits on
 * the fake — a foreground run inside its synchronous window (jumps repeat while one
 * waits), or a poll that found a run `running` (one jump per such poll, after its
 * answer, so the poller sees `running` once and progress on its next poll).
 *
 * @module
 */

/** Decides when an `"auto"` clock jumps. Inert in the other modes. */
export class TimeSkipper {
  readonly #clock: EngineClock;
  readonly #foregroundWaiting: () => boolean;
  #polls = 0;
  #again = false;
  #running: Promise<void> | undefined;

  /** Creates the driver; `foregroundWaiting` tells whether a foreground run awaits its answer. */
  constructor(clock: EngineClock, foregroundWaiting: () => boolean) {
    this.#clock = clock;
    this.#foregroundWaiting = foregroundWaiting;
  }

  /** A foreground run started: time may have to move for it to end. */
  foregroundStarted(): void {
    this.#kick();
  }

  /** A poll was answered with a running run: one jump is owed to it. */
  polledRunning(): void {
    if (this.#clock.mode !== "auto") return;
    this.#polls++;
    this.#kick();
  }

  /**
   * Resolves once no jump is owed or under way, so that a poll answers with the state
   * the previous poll's jump led to, however fast it follows.
   */
  idle(): Promise<void> {
    return this.#running ?? Promise.resolve();
  }

  /** Forgets owed jumps (on reset). */
  clear(): void {
    this.#polls = 0;
  }

  #kick(): void {
    if (this.#clock.mode !== "auto") return;
    this.#again = true;
    this.#running ??= this.#loop();
  }

  #wanted(): boolean {
    if (this.#polls > 0) {
      this.#polls--;
      return true;
    }
    return this.#foregroundWaiting();
  }

  async #loop(): Promise<void> {
    try {
      // A kick that lands while a jump is deciding is seen on the next pass.
      while (this.#again) {
        this.#again = false;
        while (await this.#clock.jump(() => this.#wanted()));
      }
    } catch {
      // A failed step leaves time where it was; the next kick tries again.
    } finally {
      this.#running = undefined;
    }
  }
}
