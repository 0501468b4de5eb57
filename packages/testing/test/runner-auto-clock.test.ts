// Proves the runner's timing on an "auto" clock: the window's timer answers 202, time jumps only for a waiting caller.
import { describe, expect, it } from "vitest";
import { bench } from "./runner-unit.js";

describe("runner: a foreground run on an auto clock", () => {
  it("with the fake's window at 0, even `true` is answered 202", async () => {
    const b = bench({ clock: "auto", syncWindowMs: 0 });
    const answer = b.start("true");
    expect(answer).toBeInstanceOf(Promise);
    expect(await answer).toMatchObject({ status: 202 });
  });

  it("is answered 202 when its window passes on the clock, and ends later when polled", async () => {
    const b = bench({ clock: "auto" });
    const start = b.state.clock.now();
    const answer = await b.start("sleep 10; echo late", { syncWindowMs: 3000 });
    expect(answer).toMatchObject({ status: 202, body: { state: "running" } });
    expect(b.state.clock.now()).toBe(start + 3000);
    const [run] = b.state.runs.list(b.vm);
    expect(run?.state).toBe("running");
    // Time moves only when someone waits: nobody does.
    await new Promise((resolve) => setImmediate(resolve));
    expect(b.state.clock.now()).toBe(start + 3000);
    b.state.runner.polledRunning();
    await b.state.runner.pollJumpsDone();
    expect(run).toMatchObject({ state: "completed", completedAt: start + 10_000 });
  });

  it("ends within its window 200, and its window's timer no longer fires", async () => {
    const b = bench({ clock: "auto" });
    const start = b.state.clock.now();
    expect(await b.start("sleep 2; echo in", { syncWindowMs: 3000 })).toMatchObject({
      status: 200,
      body: { state: "completed", stdout: "in\n" },
    });
    expect(b.state.clock.now()).toBe(start + 2000);
    const [run] = b.state.runs.list(b.vm);
    expect(run?.timers).toEqual([]);
    await b.state.clock.advance(5000);
    expect(run).toMatchObject({ state: "completed", attached: true });
  });

  it("a run's timeout fires on the clock: failed, 124, at the timeout", async () => {
    const b = bench({ clock: "auto" });
    const start = b.state.clock.now();
    expect(await b.start("sleep 20", { syncWindowMs: 30_000, timeoutMs: 4000 })).toMatchObject({
      status: 200,
      body: { state: "failed", fail_reason: "timeout", exit_code: 124 },
    });
    expect(b.state.clock.now()).toBe(start + 4000);
    const [run] = b.state.runs.list(b.vm);
    expect(run?.completedAt).toBe(start + 4000);
  });

  it("waits for a run queued ahead on its session, then answers 200", async () => {
    const b = bench({ clock: "auto" });
    const start = b.state.clock.now();
    const first = b.start("sleep 1; echo first > /tmp/f", { background: true });
    const second = b.start("cat /tmp/f; sleep 1", { syncWindowMs: 5000 });
    expect(await first).toMatchObject({ status: 202 });
    expect(await second).toMatchObject({ status: 200, body: { stdout: "first\n" } });
    expect(b.state.clock.now()).toBe(start + 2000);
    expect(b.state.runner.isSessionBusy(b.session)).toBe(false);
  });
});

describe("runner: a foreground run behind a parked one on an auto clock", () => {
  it("makes time move for the parked run, then answers 200", async () => {
    const b = bench({ clock: "auto" });
    const start = b.state.clock.now();
    await b.start("sleep 2; echo first > /tmp/f", { background: true });
    await b.state.clock.advance(0);
    expect(await b.start("cat /tmp/f", { syncWindowMs: 5000 })).toMatchObject({
      status: 200,
      body: { stdout: "first\n" },
    });
    expect(b.state.clock.now()).toBe(start + 2000);
  });
});

describe("runner: a session's queue", () => {
  it("cancelSession cancels the running run and every queued one", async () => {
    const b = bench();
    await b.start("sleep 5", { background: true });
    await b.start("echo b > /tmp/b", { background: true });
    await b.start("echo c > /tmp/c", { background: true });
    expect(b.state.runner.isSessionBusy(b.session)).toBe(true);
    b.state.runner.cancelSession(b.session);
    expect(b.state.runs.list(b.vm).map((run) => run.state)).toEqual([
      "cancelled",
      "cancelled",
      "cancelled",
    ]);
    expect(b.state.runner.isSessionBusy(b.session)).toBe(false);
    await b.state.clock.advance(10_000);
    expect(b.state.filesystemOf(b.vm).kindOf("/tmp/b")).toBeUndefined();
    expect(b.state.filesystemOf(b.vm).kindOf("/tmp/c")).toBeUndefined();
  });

  it("a session that never ran anything is not busy, and cancelling it does nothing", () => {
    const b = bench();
    const other = b.state.sessions.create(b.vm, {}, "/");
    expect(b.state.runner.isSessionBusy(other)).toBe(false);
    b.state.runner.cancelSession(other);
    expect(b.state.runner.signal(other, 2)).toBeUndefined();
  });

  it("sessions run apart: a parked run on one does not hold a foreground run on another", async () => {
    const b = bench();
    const other = b.state.sessions.create(b.vm, {}, "/");
    await b.start("sleep 60", { background: true });
    expect(await b.start("echo free", {}, other)).toMatchObject({
      status: 200,
      body: { stdout: "free\n" },
    });
  });
});
