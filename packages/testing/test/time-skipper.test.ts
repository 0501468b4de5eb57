// Proves the auto clock's driver alone: one jump per running poll, jumps while a foreground run waits, inert off auto.
import { describe, expect, it } from "vitest";
import { TimeSkipper } from "../src/engine/time-skipper.js";
import { EngineClock } from "../src/support/clock.js";

const START = 1_000_000;
/** Lets every pending promise settle (the skipper and the clock use no real timers). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function setup(mode: "auto" | "manual", waiting = () => true) {
  const clock = new EngineClock(START, mode);
  const fired: number[] = [];
  for (const at of [10, 20, 30]) {
    clock.schedule(START + at, () => {
      fired.push(at);
      return undefined;
    });
  }
  return { clock, fired, skipper: new TimeSkipper(clock, waiting) };
}

describe("TimeSkipper", () => {
  it("does nothing on a manual clock", async () => {
    const { clock, fired, skipper } = setup("manual");
    skipper.foregroundStarted();
    skipper.polledRunning();
    await skipper.pollJumpsDone();
    await settle();
    expect(clock.now()).toBe(START);
    expect(fired).toEqual([]);
  });

  it("does nothing on a real clock", async () => {
    const clock = new EngineClock(START, "real");
    let fired = false;
    clock.schedule(START + 3_600_000, () => {
      fired = true;
      return undefined;
    });
    const skipper = new TimeSkipper(clock, () => true);
    skipper.foregroundStarted();
    skipper.polledRunning();
    await skipper.pollJumpsDone();
    await settle();
    expect(fired).toBe(false);
    expect(clock.now()).toBeLessThan(START + 3_600_000);
    clock.clear();
  });

  it("makes one jump per poll that found a run running, done before the next poll answers", async () => {
    const { clock, fired, skipper } = setup("auto");
    skipper.polledRunning();
    await skipper.pollJumpsDone();
    expect([clock.now(), fired]).toEqual([START + 10, [10]]);
    skipper.polledRunning();
    skipper.polledRunning();
    await skipper.pollJumpsDone();
    expect([clock.now(), fired]).toEqual([START + 30, [10, 20, 30]]);
    skipper.polledRunning();
    await expect(skipper.pollJumpsDone()).resolves.toBeUndefined();
  });

  it("goes on after a poll's jump failed", async () => {
    const clock = new EngineClock(START, "auto");
    clock.schedule(START + 10, () => Promise.reject(new Error("boom")));
    clock.schedule(START + 20, () => undefined);
    const skipper = new TimeSkipper(clock, () => true);
    skipper.polledRunning();
    await expect(skipper.pollJumpsDone()).resolves.toBeUndefined();
    skipper.polledRunning();
    await skipper.pollJumpsDone();
    expect(clock.now()).toBe(START + 20);
  });

  it("jumps again and again while a foreground run waits, and stops once it no longer does", async () => {
    let waiting = true;
    const { clock, fired, skipper } = setup("auto", () => waiting);
    clock.schedule(START + 15, () => {
      waiting = false;
      return undefined;
    });
    skipper.foregroundStarted();
    await settle();
    expect([clock.now(), fired]).toEqual([START + 15, [10]]);
    waiting = true;
    skipper.foregroundStarted();
    await settle();
    expect([clock.now(), fired]).toEqual([START + 30, [10, 20, 30]]);
  });

  it("sees a foreground run that starts while a jump is deciding", async () => {
    let waiting = false;
    let skipper!: TimeSkipper;
    const {
      clock,
      fired,
      skipper: created,
    } = setup("auto", () => {
      if (waiting) return true;
      // The jump decides "no" and, at that moment, a foreground run starts.
      waiting = true;
      skipper.foregroundStarted();
      return false;
    });
    skipper = created;
    skipper.foregroundStarted();
    await settle();
    expect(fired).toEqual([10, 20, 30]);
    expect(clock.now()).toBe(START + 30);
  });

  it("starts over with the next foreground run after a failed jump", async () => {
    const clock = new EngineClock(START, "auto");
    clock.schedule(START + 10, () => Promise.reject(new Error("boom")));
    const skipper = new TimeSkipper(clock, () => true);
    skipper.foregroundStarted();
    await settle();
    expect(clock.now()).toBe(START + 10);
    clock.schedule(START + 20, () => undefined);
    skipper.foregroundStarted();
    await settle();
    expect(clock.now()).toBe(START + 20);
  });
});
