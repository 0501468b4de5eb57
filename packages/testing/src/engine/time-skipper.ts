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

const ignore = (): void => undefined;

/** Decides when an `"auto"` clock jumps. Inert in the other modes. */
export class TimeSkipper {
  readonly #clock: EngineClock;
  readonly #foregroundWaiting: () => boolean;
  #pollJumps: Promise<void> = Promise.resolve();
  #again = false;
  #running: Promise<void> | undefined;

  /** Creates the driver; `foregroundWaiting` tells whether a foreground run awaits its answer. */
  constructor(clock: EngineClock, foregroundWaiting: () => boolean) {
    this.#clock = clock;
    this.#foregroundWaiting = foregroundWaiting;
  }

  /** A foreground run started: time may have to move for it to end. */
  foregroundStarted(): void {
    if (this.#clock.mode !== "auto") return;
    this.#again = true;
    this.#running ??= this.#loop();
  }

  /** A poll was answered with a running run: one jump is owed to it. */
  polledRunning(): void {
    if (this.#clock.mode !== "auto") return;
    this.#pollJumps = this.#pollJumps.then(() => this.#clock.jump()).then(ignore, ignore);
  }

  /**
   * Resolves once every jump owed to a poll has been made, so that a poll answers with
   * the state the previous poll's jump led to, however fast it follows.
   */
  pollJumpsDone(): Promise<void> {
    return this.#pollJumps;
  }

  async #loop(): Promise<void> {
    try {
      // A foreground run that starts while a jump is deciding is seen on the next pass.
      while (this.#again) {
        this.#again = false;
        while (await this.#clock.jump(this.#foregroundWaiting));
      }
    } catch {
      // A failed step leaves time where it was; the next foreground run tries again.
    } finally {
      this.#running = undefined;
    }
  }
}
