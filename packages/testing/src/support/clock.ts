/**
 * The fake clock: time that starts at a fixed instant, so ids, timestamps and snapshots
 * are deterministic, and timers on that time (sleep ends, timeouts, the synchronous
 * window). How time moves is the clock's mode:
 *
 * - `"manual"`: only `advance` moves it (and a foreground run, which moves it to its own
 *   end, modelling the time the caller waited);
 * - `"auto"`: as manual, plus the engine asks for single jumps to the next due timer
 *   while a client waits on the fake ({@link EngineClock.jump});
 * - `"real"`: time follows the wall clock from the start instant; timers fire on a wall
 *   timer. `advance` still moves it ahead.
 *
 * @module
 */

/** The instant a fake clock starts at unless told otherwise: 2025-01-01T00:00:00Z. */
export const DEFAULT_START_TIME = Date.UTC(2025, 0, 1);

/** How fake time moves: see the testing README's "Clock modes". */
export type ClockMode = "auto" | "real" | "manual";

/** Every clock mode, for option and flag checks. */
export const CLOCK_MODES: readonly ClockMode[] = ["auto", "real", "manual"];

/** The test-facing clock of a fake. */
export interface FakeClock {
  /** How this fake's time moves. */
  readonly mode: ClockMode;
  /** The current fake time in epoch milliseconds. */
  now(): number;
  /**
   * Moves fake time forward by `ms` (≥ 0), firing in order everything due on the way:
   * run ends, timeouts, sleeps. Resolves once every woken run has settled again.
   * Works in every mode.
   */
  advance(ms: number): Promise<void>;
}

interface Timer {
  at: number;
  seq: number;
  fire: () => Promise<void> | undefined;
}

// setTimeout fires at once for delays past 2^31-1 ms: long waits re-arm instead.
const MAX_WALL_DELAY_MS = 2 ** 31 - 1;

/** The engine side of the clock: timers on fake time. */
export class EngineClock implements FakeClock {
  readonly mode: ClockMode;
  #now: number;
  /** Real mode: fake time minus the monotonic wall time (`advance` adds to it). */
  #wallOffset = 0;
  #wallTimer: ReturnType<typeof setTimeout> | undefined;
  #timers: Timer[] = [];
  #seq = 0;
  #queue: Promise<void> = Promise.resolve();
  #quiesce: () => Promise<void> = () => Promise.resolve();

  /** Creates a clock at `start` (epoch ms). */
  constructor(start: number = DEFAULT_START_TIME, mode: ClockMode = "manual") {
    this.mode = mode;
    this.#now = start;
    this.#wallOffset = start - performance.now();
  }

  now(): number {
    if (this.mode === "real") {
      const wall = Math.floor(performance.now() + this.#wallOffset);
      if (wall > this.#now) this.#now = wall;
    }
    return this.#now;
  }

  #isoAt = Number.NaN;
  #isoText = "";

  /** The current fake time as an RFC 3339 string (cached: time moves rarely). */
  iso(at: number = this.now()): string {
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
    this.#armWallTimer();
    return () => {
      const index = this.#timers.indexOf(timer);
      if (index < 0) return;
      // Most timers are cancelled newest first (a run's window, once it has answered).
      if (index === this.#timers.length - 1) this.#timers.pop();
      else this.#timers.splice(index, 1);
    };
  }

  advance(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0) {
      return Promise.reject(
        new RangeError(`clock.advance: ms must be a finite number ≥ 0, got ${ms}`),
      );
    }
    if (this.mode === "real") this.#wallOffset += ms;
    return this.advanceTo(this.now() + (this.mode === "real" ? 0 : ms));
  }

  /** Moves time to `target` if it is later than now. Calls are serialised. */
  advanceTo(target: number): Promise<void> {
    return this.#step(() => this.#runUntil(target));
  }

  /**
   * One time-skip: once the engine is quiescent, and if `wanted()` (asked then) agrees,
   * moves time to the earliest pending timer and fires it (with every other timer due at
   * that instant). Resolves `false` when it did not move.
   */
  jump(wanted: () => boolean = () => true): Promise<boolean> {
    return this.#step(async () => {
      await this.#quiesce();
      const next = this.#nextDue(Number.POSITIVE_INFINITY);
      if (!wanted() || next === undefined) return false;
      await this.#runUntil(next.at);
      return true;
    });
  }

  #step<T>(work: () => Promise<T>): Promise<T> {
    const step = this.#queue.then(work);
    this.#queue = step.then(
      () => this.#armWallTimer(),
      () => this.#armWallTimer(),
    );
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

  /** Real mode: keeps one wall timer set for the earliest pending timer. */
  #armWallTimer(): void {
    if (this.mode !== "real") return;
    if (this.#wallTimer !== undefined) clearTimeout(this.#wallTimer);
    this.#wallTimer = undefined;
    const next = this.#nextDue(Number.POSITIVE_INFINITY);
    if (next === undefined) return;
    const delay = Math.min(Math.max(0, next.at - this.now()), MAX_WALL_DELAY_MS);
    this.#wallTimer = setTimeout(() => {
      this.#wallTimer = undefined;
      void this.advanceTo(this.now());
    }, delay);
  }

  /** Drops every pending timer (on close and reset). */
  clear(): void {
    this.#timers = [];
    if (this.#wallTimer !== undefined) clearTimeout(this.#wallTimer);
    this.#wallTimer = undefined;
  }

  /** Puts the clock back to `start` and drops its timers. */
  resetTo(start: number): void {
    this.clear();
    this.#now = start;
    this.#wallOffset = start - performance.now();
  }
}
