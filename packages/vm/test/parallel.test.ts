import { describe, expect, it } from "vitest";
import { forEachInSlices, forEachLimited } from "../src/support/parallel";

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("forEachLimited", () => {
  it("runs every item once, never more than the limit at a time", async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachLimited([10, 11, 12, 13, 14, 15, 16], 3, async (item, index) => {
      running += 1;
      peak = Math.max(peak, running);
      expect(item).toBe(index + 10);
      await tick();
      seen.push(index);
      running -= 1;
    });
    expect(peak).toBe(3);
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it("rejects with the first failure after the started tasks settle, and starts no more", async () => {
    const started: number[] = [];
    let settled = 0;
    const run = forEachLimited([0, 1, 2, 3, 4, 5], 2, async (item) => {
      started.push(item);
      await tick();
      settled += 1;
      if (item === 1) throw new Error("one failed");
      if (item === 2) throw new Error("two failed");
    });
    await expect(run).rejects.toThrow("one failed");
    expect(settled).toBe(started.length);
    expect(started).not.toContain(4);
  });

  it("does nothing for no items", async () => {
    await forEachLimited([], 4, async () => {
      throw new Error("not called");
    });
  });
});

describe("forEachInSlices", () => {
  it("runs every item in order, letting the event loop turn between slices only", async () => {
    let turns = 0;
    const turn = () =>
      setImmediate(() => {
        turns += 1;
        if (turns < 10) turn();
      });
    turn();
    const seen: Array<[string, number, number]> = [];
    await forEachInSlices(
      ["a", "b", "c", "d", "e"],
      (item, index) => {
        seen.push([item, index, turns]);
      },
      2,
    );
    expect(seen).toEqual([
      ["a", 0, 0],
      ["b", 1, 0],
      ["c", 2, 1],
      ["d", 3, 1],
      ["e", 4, 2],
    ]);
  });

  it("stops at the first failure and rejects with it", async () => {
    const seen: number[] = [];
    const run = forEachInSlices(
      [0, 1, 2, 3, 4],
      (item) => {
        seen.push(item);
        if (item === 3) throw new Error("three failed");
      },
      2,
    );
    await expect(run).rejects.toThrow("three failed");
    expect(seen).toEqual([0, 1, 2, 3]);
  });

  it("does nothing, and does not yield, for no items", async () => {
    let turned = false;
    setImmediate(() => {
      turned = true;
    });
    await forEachInSlices([], () => {
      throw new Error("not called");
    });
    expect(turned).toBe(false);
  });
});
