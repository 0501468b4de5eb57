import { describe, expect, it } from "vitest";
import { IdFactory } from "../src/support/ids.js";
import { hashSeed, SeededRandom } from "../src/support/random.js";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** 32-bit FNV-1a, as its specification gives it. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const char of text) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** mulberry32 as published (Tommy Ettinger's reference JavaScript), seeded with `a`. */
function mulberry32(a: number): () => number {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Epoch ms as ten Crockford base32 characters, most significant first. */
function timeChars(ms: number): string {
  return [...ms.toString(32).padStart(10, "0")]
    .map((digit) => CROCKFORD[Number.parseInt(digit, 32)])
    .join("");
}

describe("hashSeed and SeededRandom", () => {
  it("hashes a seed with FNV-1a over its text", () => {
    expect(hashSeed("")).toBe(2166136261);
    expect(hashSeed("a")).toBe(0xe40c292c);
    expect(hashSeed("seed:ids")).toBe(fnv1a("seed:ids"));
    expect(hashSeed(42)).toBe(hashSeed("42"));
  });

  it("draws mulberry32's sequence from the hash of `seed:salt`", () => {
    const random = new SeededRandom(7, "faults");
    const reference = mulberry32(fnv1a("7:faults"));
    const drawn = Array.from({ length: 20 }, () => random.next());
    expect(drawn).toEqual(Array.from({ length: 20 }, reference));
    expect(new SeededRandom(7).next()).toBe(mulberry32(fnv1a("7:"))());
  });

  it("gives integers below a bound and the float's 32 bits, and starts over on reset", () => {
    const random = new SeededRandom("x");
    const twin = new SeededRandom("x");
    const first = [random.nextUint32(), random.nextInt(10), random.next()];
    expect(first[0]).toBe(twin.next() * 4294967296);
    expect(first[1]).toBe(Math.floor(twin.next() * 10));
    random.reset();
    expect([random.nextUint32(), random.nextInt(10), random.next()]).toEqual(first);
  });
});

describe("IdFactory", () => {
  it("makes prefix_ + 10 characters of fake time + 16 of seeded randomness", () => {
    let now = Date.UTC(2025, 0, 1);
    const ids = new IdFactory(new SeededRandom(1, "ids"), () => now);
    const draws = new SeededRandom(1, "ids");
    const id = ids.next("sess");
    const random = Array.from({ length: 16 }, () => CROCKFORD[Math.floor(draws.next() * 32)]);
    expect(id).toBe(`sess_${timeChars(now)}${random.join("")}`);
    now += 33;
    const ulid = ids.ulid();
    expect(ulid).toHaveLength(26);
    expect(ulid.slice(0, 10)).toBe(timeChars(now));
    expect(ids.next("vm")).toMatch(new RegExp(`^vm_${timeChars(now)}[${CROCKFORD}]{16}$`));
  });

  it("draws exactly 16 characters per id: the next id takes the draws that follow", () => {
    const ids = new IdFactory(new SeededRandom(3, "ids"), () => 0);
    const draws = new SeededRandom(3, "ids");
    const random = () =>
      Array.from({ length: 16 }, () => CROCKFORD[Math.floor(draws.next() * 32)]).join("");
    expect(ids.next("fs")).toBe(`fs_0000000000${random()}`);
    expect(ids.ulid()).toBe(`0000000000${random()}`);
    expect(ids.next("upl")).toBe(`upl_0000000000${random()}`);
  });

  it("encodes time 0 and the largest 48-bit time", () => {
    let now = 0;
    const ids = new IdFactory(new SeededRandom(1), () => now);
    expect(ids.ulid().slice(0, 10)).toBe("0000000000");
    now = 2 ** 48 - 1;
    expect(ids.ulid().slice(0, 10)).toBe("7ZZZZZZZZZ");
  });

  it("repeats its ids after reset, as a fresh factory with the same seed does", () => {
    const make = () => new IdFactory(new SeededRandom(9, "ids"), () => 1234);
    const ids = make();
    const first = [ids.next("run"), ids.token(8), ids.next("org")];
    expect(make().next("run")).toBe(first[0]);
    ids.reset();
    expect([ids.next("run"), ids.token(8), ids.next("org")]).toEqual(first);
    expect(first[1]).toMatch(new RegExp(`^[${CROCKFORD}]{8}$`));
  });
});
