import { describe, expect, it, vi } from "vitest";

/** Bytes the next calls of `randomBytes` return, padded with 255 (a byte always skipped). */
const scripted: number[][] = [];
vi.mock("node:crypto", async (importOriginal) => {
  const crypto = await importOriginal<typeof import("node:crypto")>();
  return {
    ...crypto,
    randomBytes: (size: number) => {
      const next = scripted.shift();
      if (next === undefined) return crypto.randomBytes(size);
      return Buffer.from([...next, ...new Array<number>(size - next.length).fill(255)]);
    },
  };
});

const { randomApiKey, randomControlToken, randomToken } = await import("../src/support/secrets.js");

describe("random secrets", () => {
  it("map bytes below 252 to [0-9a-z] modulo 36 and skip the others", () => {
    scripted.push([255, 252, 0, 35, 36, 251, 71]);
    expect(randomToken(4)).toBe("0z0z");
  });

  it("draw again until they have enough characters, and stop there", () => {
    scripted.push([252, 10], [1, 2, 3, 4]);
    expect(randomToken(2)).toBe("a1");
    expect(scripted).toEqual([]);
  });

  it("make keys and control tokens of 32 characters after their prefix", () => {
    expect(randomApiKey()).toMatch(/^ark_test_[0-9a-z]{32}$/);
    expect(randomControlToken()).toMatch(/^fake_ctl_[0-9a-z]{32}$/);
    expect(randomToken(0)).toBe("");
  });
});
