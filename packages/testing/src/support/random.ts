/**
 * A small seeded pseudo-random generator (mulberry32) so ids and fault probabilities
 * are reproducible for a given seed.
 *
 * @module
 */

/** Turns a number or string seed into a 32-bit integer. */
export function hashSeed(seed: number | string): number {
  const text = String(seed);
  let hash = 2166136261;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 16777619);
  }
  return hash >>> 0;
}

/** A seeded generator of floats in [0, 1). */
export class SeededRandom {
  readonly #start: number;
  #state: number;

  /** Creates a generator; the same seed and salt give the same sequence. */
  constructor(seed: number | string, salt = "") {
    this.#start = hashSeed(`${seed}:${salt}`);
    this.#state = this.#start;
  }

  /** Starts the sequence over, as a fresh generator with the same seed and salt. */
  reset(): void {
    this.#state = this.#start;
  }

  /** The next float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** The next unsigned 32-bit integer (`next()` is this over 2^32). */
  nextUint32(): number {
    this.#state = (this.#state + 0x6d2b79f5) | 0;
    let value = this.#state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return (value ^ (value >>> 14)) >>> 0;
  }

  /** The next integer in [0, bound). */
  nextInt(bound: number): number {
    return Math.floor(this.next() * bound);
  }
}
