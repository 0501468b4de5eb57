/**
 * The fake clock: manual time that starts at a fixed instant, so ids, timestamps and
 * snapshots are deterministic. Nothing moves it but `advance` (and a foreground run,
 * which moves it to its own end, modelling the time the caller waited).
 *
 * @module
 */

/** The instant a fake clock starts at unless told otherwise: 2025-01-01T00:00:00Z. */
export const DEFAULT_START_TIME = Date.UTC(2025, 0, 1);

/** The test-facing clock of a fake. */
export interface FakeClock {
  /** The current fake time in epoch milliseconds. */
  now(): number;
  /**
   * Moves fake time forward by `ms` (≥ 0), firing in order everything due on the way:
   * run ends, timeouts, sleeps. Resolves once every woken run has settled again.
   */
  advance(ms: number): Promise<void>;
}

interface Timer {
  at: number;
  seq: number;
  fire: () => Promise<void> | undefined;
}

/** The engine side of the clock: timers on fake time. */
export class ManualClock implements FakeClock {
  #now: number;
  #timers: Timer[] = [];
  #seq = 0;
  #queue: Promise<void> = Promise.resolve();
  #quiesce: () => Promise<void> = () => Promise.resolve();

  /** Creates a clock at `start` (epoch ms). */
  constructor(start: number = DEFAULT_START_TIME) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  #isoAt = Number.NaN;
  #isoText = "";

  /** The current fake time as an RFC 3339 string (cached: time moves rarely). */
  iso(at: number = this.#now): string {
    if (at !== this.#isoAt) {
      this.#isoAt = at;
      this.#isoText = new Date(at).toISOString();
    }
    return this.#isoText;
  }

  /**
   * Sets what time waits for before moving and after each timer: the engine waits there
   * until every run that can progress without time passing has parked or finished.
   */
  setQuiescence(quiesce: () => Promise<void>): void {
    this.#quiesce = quiesce;
  }

  /**
   * Calls `fire` once fake time reaches `at`; the promise it returns, if any, is awaited
   * before time moves on. Returns a cancel function.
   */
  schedule(at: number, fire: () => Promise<void> | undefined): () => void {
    const timer: Timer = { at, seq: this.#seq++, fire };
    this.#timers.push(timer);
    return () => {
      const index = this.#timers.indexOf(timer);
      if (index >= 0) this.#timers.splice(index, 1);
    };
  }

  advance(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0) {
      return Promise.reject(
        new RangeError(`clock.advance: ms must be a finite number ≥ 0, got ${ms}`),
      );
    }
    return this.advanceTo(this.#now + ms);
  }

  /** Moves time to `target` if it is later than now. Calls are serialised. */
  advanceTo(target: number): Promise<void> {
    const step = this.#queue.then(() => this.#runUntil(target));
    this.#queue = step.catch(() => undefined);
    return step;
  }

  async #runUntil(target: number): Promise<void> {
    await this.#quiesce();
    for (;;) {
      const next = this.#nextDue(target);
      if (next === undefined) break;
      this.#timers.splice(this.#timers.indexOf(next), 1);
      if (next.at > this.#now) this.#now = next.at;
      await next.fire();
      await this.#quiesce();
    }
    if (target > this.#now) this.#now = target;
  }

  #nextDue(target: number): Timer | undefined {
    let best: Timer | undefined;
    for (const timer of this.#timers) {
      if (timer.at > target) continue;
      if (
        best === undefined ||
        timer.at < best.at ||
        (timer.at === best.at && timer.seq < best.seq)
      ) {
        best = timer;
      }
    }
    return best;
  }

  /** Drops every pending timer (on close and reset). */
  clear(): void {
    this.#timers = [];
  }

  /** Puts the clock back to `start` and drops its timers. */
  resetTo(start: number): void {
    this.#timers = [];
    this.#now = start;
  }
}
