import type { SeededRandom } from "./random.js";

/**
 * Seeded, ULID-shaped ids (`vm_` + 26 Crockford base32 characters: 10 of fake time,
 * 16 of seeded randomness), deterministic for a given seed and clock.
 *
 * @module
 */

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CROCKFORD_CODES = Uint8Array.from(CROCKFORD, (char) => char.charCodeAt(0));
const TIME_CHARS = 10;
const RANDOM_CHARS = 16;
/** Room for the longest prefix, `_` and the ULID. */
const MAX_ID_CHARS = 8 + TIME_CHARS + RANDOM_CHARS;

/** The prefixes of the API's ids. */
export type IdPrefix = "vm" | "run" | "sess" | "fs" | "sync" | "upl" | "req" | "org";

// Each prefix with its `_`, as bytes: copied in, not encoded per id (`Buffer#write` with
// an encoding name was ~5 % of the in-process fake's time per request, which makes two ids).
const PREFIX_CODES = new Map<string, Uint8Array>();

function prefixCodes(prefix: IdPrefix): Uint8Array {
  let codes = PREFIX_CODES.get(prefix);
  if (codes === undefined) {
    codes = Uint8Array.from(`${prefix}_`, (char) => char.charCodeAt(0));
    PREFIX_CODES.set(prefix, codes);
  }
  return codes;
}

/** Makes ids from a seeded generator and the fake clock. */
export class IdFactory {
  readonly #random: SeededRandom;
  readonly #now: () => number;
  #lastTime = Number.NaN;
  readonly #timeCodes = new Uint8Array(TIME_CHARS);
  /**
   * The characters of the id being built. An id made by appending characters one by one
   * is a chain of string pieces that every id kept (runs, log entries) would hold on to;
   * written here and read out at once, it is a single flat string.
   */
  readonly #chars = Buffer.alloc(MAX_ID_CHARS);

  /** Creates a factory. */
  constructor(random: SeededRandom, now: () => number) {
    this.#random = random;
    this.#now = now;
  }

  /** A fresh id such as `vm_01JGJ7…`. */
  next(prefix: IdPrefix): string {
    const codes = prefixCodes(prefix);
    this.#chars.set(codes);
    return this.#ulidAfter(codes.length);
  }

  /** A 26-character ULID-like string. */
  ulid(): string {
    return this.#ulidAfter(0);
  }

  #ulidAfter(start: number): string {
    const now = this.#now();
    // Many ids share a millisecond of fake time: its ten characters are worked out once.
    if (now !== this.#lastTime) {
      let time = now;
      for (let index = TIME_CHARS - 1; index >= 0; index--) {
        this.#timeCodes[index] = CROCKFORD_CODES[time % 32]!;
        time = Math.floor(time / 32);
      }
      this.#lastTime = now;
    }
    const chars = this.#chars;
    chars.set(this.#timeCodes, start);
    const end = this.#writeRandom(start + TIME_CHARS, RANDOM_CHARS);
    return chars.toString("latin1", 0, end);
  }

  /** `length` random Crockford characters. */
  token(length: number): string {
    let out = "";
    for (let index = 0; index < length; index++) out += CROCKFORD[this.#randomIndex()]!;
    return out;
  }

  #writeRandom(start: number, count: number): number {
    const chars = this.#chars;
    for (let index = start; index < start + count; index++)
      chars[index] = CROCKFORD_CODES[this.#randomIndex()]!;
    return start + count;
  }

  // One draw per character, its top five bits: the same characters as
  // `Math.floor(next() * 32)`, so a seed gives the ids it always gave.
  #randomIndex(): number {
    return this.#random.nextUint32() >>> 27;
  }

  /** Starts the ids over, as a fresh factory with the same seed. */
  reset(): void {
    this.#random.reset();
  }
}
