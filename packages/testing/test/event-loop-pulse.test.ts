import { afterEach, describe, expect, it, vi } from "vitest";
import { PULSE_INTERVAL_MS, pulse } from "../src/support/event-loop-pulse.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("pulse", () => {
  it("yields a turn of the event loop once the thread was held 5 ms, else answers at once", async () => {
    vi.useFakeTimers({ toFake: ["performance"] });
    expect(PULSE_INTERVAL_MS).toBe(5);
    // Far past the last turn the module saw (taken on the real clock).
    vi.advanceTimersByTime(3_600_000);
    const held = pulse();
    expect(held).toBeInstanceOf(Promise);
    expect(await held).toBe(true);
    // The turn was just taken: the next pulses answer at once until 5 ms have passed.
    expect(pulse()).toBe(true);
    vi.advanceTimersByTime(PULSE_INTERVAL_MS - 1);
    expect(pulse()).toBe(true);
    vi.advanceTimersByTime(1);
    const again = pulse();
    expect(again).toBeInstanceOf(Promise);
    expect(await again).toBe(true);
    expect(pulse()).toBe(true);
  });
});
