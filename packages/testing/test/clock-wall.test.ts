// Proves how EngineClock ties fake time to the wall clock: real mode only, from any start, one wall timer.
import { afterEach, describe, expect, it, vi } from "vitest";
import { EngineClock } from "../src/support/clock.js";

/** Fakes the wall clock: timers and `performance.now()`. */
function fakeWall(): void {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
}

afterEach(() => {
  vi.useRealTimers();
});

/** Schedules a timer that records the fake time it fired at. */
function recorder(clock: EngineClock) {
  const fired: number[] = [];
  const at = (time: number) =>
    clock.schedule(time, () => {
      fired.push(clock.now());
      return undefined;
    });
  return { fired, at };
}

describe("EngineClock and the wall clock", () => {
  it("a real clock made when the wall clock is not at zero starts at its start", async () => {
    fakeWall();
    await vi.advanceTimersByTimeAsync(5_000);
    const clock = new EngineClock(1_000, "real");
    expect(clock.now()).toBe(1_000);
    await vi.advanceTimersByTimeAsync(20);
    expect(clock.now()).toBe(1_020);
  });

  it("manual and auto clocks ignore the wall clock", async () => {
    fakeWall();
    const manual = new EngineClock(1_000, "manual");
    const auto = new EngineClock(1_000, "auto");
    await vi.advanceTimersByTimeAsync(5_000);
    expect(manual.now()).toBe(1_000);
    expect(auto.now()).toBe(1_000);
    await manual.advance(10);
    expect(manual.now()).toBe(1_010);
  });

  it("a real clock that jumped ahead of the wall clock does not fall back to it", async () => {
    fakeWall();
    const clock = new EngineClock(0, "real");
    const { fired, at } = recorder(clock);
    at(500);
    expect(await clock.jump()).toBe(true);
    expect(fired).toEqual([500]);
    await vi.advanceTimersByTimeAsync(10);
    expect(clock.now()).toBe(500);
  });

  it("fires a wall timer on time when the clock does not start at zero", async () => {
    fakeWall();
    const clock = new EngineClock(1_000, "real");
    const { fired, at } = recorder(clock);
    at(1_100);
    await vi.advanceTimersByTimeAsync(99);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(fired).toEqual([1_100]);
  });

  it("keeps a single wall timer however many timers are scheduled", () => {
    fakeWall();
    const clock = new EngineClock(0, "real");
    const { at } = recorder(clock);
    at(300);
    at(200);
    at(100);
    expect(vi.getTimerCount()).toBe(1);
  });

  it("clear drops the wall timer too", () => {
    fakeWall();
    const clock = new EngineClock(0, "real");
    recorder(clock).at(100);
    expect(vi.getTimerCount()).toBe(1);
    clock.clear();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("re-arms the wall timer after a move that failed", async () => {
    fakeWall();
    const clock = new EngineClock(0, "real");
    const { fired, at } = recorder(clock);
    clock.schedule(10, () => Promise.reject(new Error("boom")));
    at(100);
    // Moves past both; the first throws, so the second is left due at once on the wall.
    await expect(clock.advance(150)).rejects.toThrow("boom");
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(0);
    expect(fired).toEqual([150]);
  });
});
