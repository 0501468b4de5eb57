// Proves Sequence counts 1, 2, 3, … and starts over at 1 after reset.
import { describe, expect, it } from "vitest";
import { Sequence } from "../src/support/sequence.js";

describe("Sequence", () => {
  it("hands out 1, 2, 3 and starts over at 1 after reset", () => {
    const sequence = new Sequence();
    expect([sequence.next(), sequence.next(), sequence.next()]).toEqual([1, 2, 3]);
    sequence.reset();
    expect(sequence.next()).toBe(1);
  });
});
