import { createHash } from "node:crypto";

/** A small seeded generator (mulberry32): the same seed gives the same run. */
export class Rng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** A key chosen with the given weights. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as Array<[K, number]>;
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [key, weight] of entries) {
      roll -= weight;
      if (roll < 0) return key;
    }
    return entries[entries.length - 1]![0];
  }
}

/**
 * Deterministic bytes that differ from block to block: a 64 KiB seeded block repeated,
 * each copy stamped with its index, so a dropped, doubled or swapped block changes the hash.
 */
export function patternBytes(size: number, seed: number): Uint8Array {
  const block = new Uint8Array(Math.min(size, 65_536));
  const rng = new Rng(seed);
  for (let i = 0; i < block.length; i++) block[i] = Math.floor(rng.next() * 256);
  const bytes = new Uint8Array(size);
  for (let offset = 0, index = 0; offset < size; offset += block.length, index++) {
    bytes.set(block.subarray(0, Math.min(block.length, size - offset)), offset);
    if (offset + 4 <= size) new DataView(bytes.buffer).setUint32(offset, index ^ seed);
  }
  return bytes;
}

/** The hex SHA-256 of some bytes. */
export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
