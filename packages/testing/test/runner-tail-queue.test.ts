// Proves that a run cancelled behind the head of its session's queue leaves the head as it was: in flight, and parked if it was.
import { describe, expect, it } from "vitest";
import { bench } from "./runner-unit.js";

describe("runner: a session's queue after a cancel behind its head", () => {
  it("a signal ends the head, not the run queued after the cancelled one", async () => {
    const b = bench();
    await b.start("sleep 10", { background: true });
    await b.start("echo middle", { background: true });
    await b.start("echo last", { background: true });
    const [head, middle, last] = b.state.runs.list(b.vm);
    b.state.runner.cancel(middle!);
    expect(middle).toMatchObject({ state: "cancelled" });
    expect(b.state.runner.signal(b.session, 9)).toBe(head);
    expect(head).toMatchObject({ state: "failed", failReason: "signal", exitCode: 137 });
    await b.state.clock.advance(0);
    expect(last).toMatchObject({ state: "completed", stdout: new TextEncoder().encode("last\n") });
  });

  it("on an auto clock, a head parked on the clock still wakes: time moves and the next run answers 200", async () => {
    const b = bench({ clock: "auto" });
    b.state.stubs.on("work", () => ({ durationMs: 10_000, stdout: "worked\n" }));
    const start = b.state.clock.now();
    await b.start("work", { background: true });
    await b.start("echo middle", { background: true });
    const [head, middle] = b.state.runs.list(b.vm);
    // Every pending promise settles before an immediate: the head's stub is parked by then.
    await new Promise((resolve) => setImmediate(resolve));
    expect(head?.wake).toBeDefined();
    expect(b.state.clock.now()).toBe(start);
    b.state.runner.cancel(middle!);
    // Before the fix the parked head counted as executing, so the clock never moved again
    // and this answer never came (the test timed out).
    expect(await b.start("echo after")).toMatchObject({
      status: 200,
      body: { state: "completed", stdout: "after\n" },
    });
    expect(head).toMatchObject({ state: "completed", completedAt: start + 10_000 });
    expect(middle).toMatchObject({ state: "cancelled" });
  });
});
