import type { SeededRandom } from "./random.js";

/**
 * Seeded, ULID-shaped ids (`vm_` + 26 Crockford base32 characters: 10 of fake time,
 * 16 of seeded randomness), deterministic for a given seed and clock.
 *
 * @module
 */

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** The prefixes of the API's ids. */
export type IdPrefix = "vm" | "run" | "sess" | "fs" | "sync" | "upl" | "req" | "org";

/** Makes ids from a seeded generator and the fake clock. */
export class IdFactory {
  readonly #random: SeededRandom;
  readonly #now: () => number;
  #lastTime = Number.NaN;
  #lastTimePart = "";

  /** Creates a factory. */
  constructor(random: SeededRandom, now: () => number) {
    this.#random = random;
    this.#now = now;
  }

  /** A fresh id such as `vm_01JGJ7…`. */
  next(prefix: IdPrefix): string {
    return `${prefix}_${this.ulid()}`;
  }

  /** A 26-character ULID-like string. */
  ulid(): string {
    const now = this.#now();
    // Many ids share a millisecond of fake time: its ten characters are worked out once.
    if (now !== this.#lastTime) {
      let time = now;
      let timePart = "";
      for (let index = 0; index < 10; index++) {
        timePart = CROCKFORD[time % 32]! + timePart;
        time = Math.floor(time / 32);
      }
      this.#lastTime = now;
      this.#lastTimePart = timePart;
    }
    return this.#lastTimePart + this.token(16);
  }

  /** `length` random Crockford characters. */
  token(length: number): string {
    let out = "";
    for (let index = 0; index < length; index++) out += CROCKFORD[this.#random.nextInt(32)]!;
    return out;
  }

  /** Starts the ids over, as a fresh factory with the same seed. */
  reset(): void {
    this.#random.reset();
  }
}
