import { afterEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_START_TIME, EngineClock } from "../src/support/clock.js";

afterEach(() => {
  vi.useRealTimers();
});

/** A manual clock at 0 and a log of what its timers saw: `name@time`. */
function manual() {
  const clock = new EngineClock(0, "manual");
  const log: string[] = [];
  const at = (time: number, name: string) =>
    clock.schedule(time, () => {
      log.push(`${name}@${clock.now()}`);
      return undefined;
    });
  return { clock, log, at };
}

describe("EngineClock (manual)", () => {
  it("starts where told, in manual mode unless told otherwise", () => {
    const clock = new EngineClock(42);
    expect(clock.mode).toBe("manual");
    expect(clock.now()).toBe(42);
    expect(new EngineClock().now()).toBe(DEFAULT_START_TIME);
  });

  it("advance fires the timers due on the way in time order, each at its own time", async () => {
    const { clock, log, at } = manual();
    at(30, "c");
    at(10, "a");
    at(20, "b1");
    at(20, "b2");
    at(31, "later");
    await clock.advance(30);
    expect(log).toEqual(["a@10", "b1@20", "b2@20", "c@30"]);
    expect(clock.now()).toBe(30);
    await clock.advance(0);
    expect(log).toHaveLength(4);
    await clock.advance(1);
    expect(log.at(-1)).toBe("later@31");
  });

  it("a timer set in the past fires at once without moving time back", async () => {
    const { clock, log, at } = manual();
    await clock.advance(100);
    at(50, "past");
    await clock.advanceTo(100);
    expect(log).toEqual(["past@100"]);
    await clock.advanceTo(60);
    expect(clock.now()).toBe(100);
  });

  it("a cancelled timer never fires, whichever it is; cancelling twice is harmless", async () => {
    const { clock, log, at } = manual();
    const first = at(1, "first");
    at(2, "second");
    const third = at(3, "third");
    first();
    first();
    third();
    at(4, "fourth");
    await clock.advance(10);
    expect(log).toEqual(["second@2", "fourth@4"]);
    const fired = at(20, "fired");
    await clock.advance(10);
    fired();
    at(30, "after");
    await clock.advance(10);
    expect(log).toEqual(["second@2", "fourth@4", "fired@20", "after@30"]);
  });

  it("waits for a timer's promise, and for quiescence, before time moves on", async () => {
    const clock = new EngineClock(0, "manual");
    const log: string[] = [];
    let release!: () => void;
    clock.setQuiescence(async () => {
      log.push(`quiet@${clock.now()}`);
    });
    clock.schedule(1, () => {
      log.push("slow starts");
      return new Promise<void>((resolve) => {
        release = () => {
          log.push("slow ends");
          resolve();
        };
      });
    });
    clock.schedule(2, () => {
      log.push(`next@${clock.now()}`);
      return undefined;
    });
    const advanced = clock.advance(5);
    await vi.waitFor(() => expect(log).toContain("slow starts"));
    expect(log).not.toContain("next@2");
    release();
    await advanced;
    expect(log).toEqual(["quiet@0", "slow starts", "slow ends", "quiet@1", "next@2", "quiet@2"]);
    expect(clock.now()).toBe(5);
  });

  it("serialises moves: a second one waits until the first has settled", async () => {
    const { clock, log, at } = manual();
    let release!: () => void;
    clock.schedule(10, () => {
      log.push("slow starts");
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    at(15, "b");
    const first = clock.advance(10);
    const second = clock.advanceTo(20);
    await vi.waitFor(() => expect(log).toContain("slow starts"));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(log).toEqual(["slow starts"]);
    release();
    await Promise.all([first, second]);
    expect(log).toEqual(["slow starts", "b@15"]);
    expect(clock.now()).toBe(20);
  });

  it("keeps going after a timer throws: that move rejects, the next one works", async () => {
    const { clock, log, at } = manual();
    clock.schedule(1, () => Promise.reject(new Error("boom")));
    at(2, "next");
    await expect(clock.advance(1)).rejects.toThrow("boom");
    await clock.advance(1);
    expect(log).toEqual(["next@2"]);
  });

  it("refuses to advance by a negative or non-finite amount", async () => {
    const clock = new EngineClock(0, "manual");
    for (const ms of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(clock.advance(ms)).rejects.toThrow(
        new RangeError(`clock.advance: ms must be a finite number ≥ 0, got ${ms}`),
      );
    }
    expect(clock.now()).toBe(0);
  });

  it("jump moves to the earliest timer and fires everything due then, if wanted", async () => {
    const { clock, log, at } = manual();
    expect(await clock.jump()).toBe(false);
    at(50, "b");
    at(20, "a1");
    at(20, "a2");
    expect(await clock.jump(() => false)).toBe(false);
    expect(clock.now()).toBe(0);
    expect(await clock.jump()).toBe(true);
    expect(log).toEqual(["a1@20", "a2@20"]);
    expect(clock.now()).toBe(20);
    expect(await clock.jump()).toBe(true);
    expect(clock.now()).toBe(50);
  });

  it("asks whether a jump is wanted only once the engine is quiet", async () => {
    const { clock, at } = manual();
    const log: string[] = [];
    clock.setQuiescence(async () => {
      log.push("quiet");
    });
    at(5, "a");
    await clock.jump(() => {
      log.push("wanted?");
      return true;
    });
    expect(log.slice(0, 2)).toEqual(["quiet", "wanted?"]);
  });

  it("clear drops every timer; resetTo also puts the time back", async () => {
    const { clock, log, at } = manual();
    at(5, "a");
    clock.clear();
    await clock.advance(10);
    expect(log).toEqual([]);
    at(20, "b");
    clock.resetTo(3);
    expect(clock.now()).toBe(3);
    await clock.advance(100);
    expect(log).toEqual([]);
  });

  it("formats the time as RFC 3339, following it as it moves", async () => {
    const clock = new EngineClock(DEFAULT_START_TIME, "manual");
    expect(clock.iso()).toBe("2025-01-01T00:00:00.000Z");
    await clock.advance(1500);
    expect(clock.iso()).toBe("2025-01-01T00:00:01.500Z");
    expect(clock.iso(0)).toBe("1970-01-01T00:00:00.000Z");
    expect(clock.iso()).toBe("2025-01-01T00:00:01.500Z");
  });
});

describe("EngineClock (real)", () => {
  it("follows the wall clock from its start, never backwards, plus what advance adds", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    const clock = new EngineClock(1_000, "real");
    expect(clock.now()).toBe(1_000);
    vi.advanceTimersByTime(250);
    expect(clock.now()).toBe(1_250);
    await clock.advance(1_000);
    expect(clock.now()).toBe(2_250);
    clock.resetTo(10);
    expect(clock.now()).toBe(10);
  });

  it("arms its wall timer for the earliest timer and fires it on time", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    const clock = new EngineClock(0, "real");
    const fired: number[] = [];
    clock.schedule(100, () => {
      fired.push(clock.now());
      return undefined;
    });
    await vi.advanceTimersByTimeAsync(99);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(fired).toEqual([100]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("re-arms a wait longer than setTimeout allows instead of firing at once", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    const clock = new EngineClock(0, "real");
    const fired: number[] = [];
    const far = 2 ** 31 + 1000;
    clock.schedule(far, () => {
      fired.push(clock.now());
      return undefined;
    });
    await vi.advanceTimersByTimeAsync(2 ** 31 - 1);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(1001);
    expect(fired).toEqual([far]);
  });

  it("a manual clock arms no wall timer", () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    const clock = new EngineClock(0, "manual");
    clock.schedule(10, () => undefined);
    expect(vi.getTimerCount()).toBe(0);
  });
});
