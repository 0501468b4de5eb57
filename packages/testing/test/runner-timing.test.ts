// Proves the runner's timing model on a manual clock: sleeps inside the window, its edges, timeouts, parking.
import { describe, expect, it } from "vitest";
import type { CommandResult } from "../src/engine/command-stubs.js";
import { bench } from "./runner-unit.js";

const WINDOW = { syncWindowMs: 5000 };

/**
 * Stubs `hold` with a handler that stays at work until `release()`: `called` resolves once
 * the runner has called it, and `release` ends it with `result`.
 */
function holdingStub(b: ReturnType<typeof bench>, result: CommandResult) {
  let release!: () => void;
  const called = new Promise<void>((resolveCalled) => {
    b.state.stubs.on("hold", () => {
      resolveCalled();
      return new Promise((resolve) => {
        release = () => resolve(result);
      });
    });
  });
  return { called, release: () => release() };
}

describe("runner: a foreground run on a manual clock", () => {
  it("sleeps within the window at once: 200, and the clock moves to the run's end", async () => {
    const b = bench();
    const start = b.state.clock.now();
    expect(await b.start("sleep 2; echo done", WINDOW)).toMatchObject({
      status: 200,
      body: { state: "completed", stdout: "done\n" },
    });
    expect(b.state.clock.now()).toBe(start + 2000);
    const [run] = b.state.runs.list(b.vm);
    expect([run?.startedAt, run?.completedAt]).toEqual([start, start + 2000]);
  });

  it("ends exactly at its window still answered 200", async () => {
    const b = bench();
    expect(await b.start("sleep 2; sleep 3", WINDOW)).toMatchObject({
      status: 200,
      body: { state: "completed" },
    });
  });

  it("ends exactly at its timeout completed", async () => {
    const b = bench();
    expect(await b.start("sleep 3; echo in", { ...WINDOW, timeoutMs: 3000 })).toMatchObject({
      status: 200,
      body: { state: "completed", exit_code: 0, fail_reason: null, stdout: "in\n" },
    });
  });

  it("times out inside the window: 200, failed at the timeout, the rest not run", async () => {
    const b = bench();
    const start = b.state.clock.now();
    expect(
      await b.start("sleep 3; echo after > /tmp/after", { ...WINDOW, timeoutMs: 2000 }),
    ).toMatchObject({
      status: 200,
      body: { state: "failed", fail_reason: "timeout", exit_code: 124 },
    });
    expect(b.state.clock.now()).toBe(start + 2000);
    expect(b.state.filesystemOf(b.vm).kindOf("/tmp/after")).toBeUndefined();
  });

  it("times out at a timeout equal to its window: 200, failed", async () => {
    const b = bench();
    expect(await b.start("sleep 6", { ...WINDOW, timeoutMs: 5000 })).toMatchObject({
      status: 200,
      body: { state: "failed", fail_reason: "timeout", exit_code: 124 },
    });
  });

  it("passing its window is answered 202 and parks until the clock gets there", async () => {
    const b = bench();
    const start = b.state.clock.now();
    const answer = await b.start("sleep 6; echo late", WINDOW);
    expect(answer.status).toBe(202);
    expect(b.state.clock.now()).toBe(start);
    const [run] = b.state.runs.list(b.vm);
    expect(run?.state).toBe("running");
    await b.state.clock.advance(5999);
    expect(run?.state).toBe("running");
    await b.state.clock.advance(1);
    expect(run).toMatchObject({ state: "completed", completedAt: start + 6000 });
    expect(b.text(run!.stdout)).toBe("late\n");
  });

  it("passing its window with a later timeout fails at the timeout on the clock", async () => {
    const b = bench();
    const start = b.state.clock.now();
    const answer = await b.start("sleep 60", { syncWindowMs: 1000, timeoutMs: 3000 });
    expect(answer.status).toBe(202);
    const [run] = b.state.runs.list(b.vm);
    await b.state.clock.advance(2999);
    expect(run?.state).toBe("running");
    await b.state.clock.advance(1);
    expect(run).toMatchObject({
      state: "failed",
      failReason: "timeout",
      exitCode: 124,
      completedAt: start + 3000,
    });
  });

  it("takes the fake's window unless the run names its own", async () => {
    const b = bench({ syncWindowMs: 3000 });
    expect(await b.start("sleep 3")).toMatchObject({ status: 200 });
    expect(await b.start("sleep 4")).toMatchObject({ status: 202 });
    const own = bench({ syncWindowMs: 3000 });
    expect(await own.start("sleep 4", { syncWindowMs: 4000 })).toMatchObject({ status: 200 });
  });

  it("with a window of 0 is answered 202 at once", async () => {
    const b = bench();
    expect(await b.start("echo hi", { syncWindowMs: 0 })).toMatchObject({
      status: 202,
      body: { state: "running" },
    });
  });
});

describe("runner: runs parked on a manual clock", () => {
  it("a foreground run started behind a parked run is answered 202 before time moves", async () => {
    const b = bench();
    await b.start("sleep 4", { background: true });
    await b.state.clock.advance(0);
    let answered: unknown;
    void Promise.resolve(b.start("echo behind", WINDOW)).then((answer) => {
      answered = answer;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toMatchObject({ status: 202 });
    await b.state.clock.advance(4000);
  });

  it("a foreground run behind a run that ends without parking is answered 200", async () => {
    const b = bench();
    const hold = holdingStub(b, { stdout: "held\n" });
    const first = b.start("hold", WINDOW);
    await hold.called;
    const second = b.start("echo second", WINDOW);
    hold.release();
    expect(await first).toMatchObject({ status: 200, body: { stdout: "held\n" } });
    expect(await second).toMatchObject({ status: 200, body: { stdout: "second\n" } });
  });

  it("a foreground stub still working when the clock passes its window stays attached: 200", async () => {
    const b = bench();
    const hold = holdingStub(b, { stdout: "held\n" });
    const answer = b.start("hold", { syncWindowMs: 1000 });
    await hold.called;
    await b.state.clock.advance(5000);
    hold.release();
    expect(await answer).toMatchObject({ status: 200, body: { stdout: "held\n" } });
  });

  it("a run timed out while its stub works ends at its timeout, not after the stub's duration", async () => {
    const b = bench();
    const start = b.state.clock.now();
    const hold = holdingStub(b, { stdout: "held\n", durationMs: 10_000 });
    // Foreground on a manual clock: the caller waits, time does not wait for the stub.
    const answer = b.start("hold", { syncWindowMs: 1000, timeoutMs: 5000 });
    await hold.called;
    await b.state.clock.advance(5000);
    hold.release();
    expect(await answer).toMatchObject({
      status: 200,
      body: { state: "failed", fail_reason: "timeout", exit_code: 124 },
    });
    const [run] = b.state.runs.list(b.vm);
    expect(run?.completedAt).toBe(start + 5000);
  });

  it("a run cancelled while its stub works spends none of the stub's duration; time moves on", async () => {
    const b = bench();
    const hold = holdingStub(b, { stdout: "held\n", durationMs: 10_000 });
    await b.start("hold", { background: true });
    await hold.called;
    const [run] = b.state.runs.list(b.vm);
    b.state.runner.cancel(run!);
    hold.release();
    await b.state.clock.advance(20_000);
    expect(run).toMatchObject({ state: "cancelled", exitCode: 130 });
    expect(run?.wake).toBeUndefined();
    expect(await b.start("echo next")).toMatchObject({ status: 200, body: { stdout: "next\n" } });
  });

  it("a background run parks; a foreground run queued behind it is answered 202 and runs after", async () => {
    const b = bench();
    const start = b.state.clock.now();
    expect(await b.start("sleep 4; echo a > /tmp/a", { background: true })).toMatchObject({
      status: 202,
    });
    const queued = await b.start("cat /tmp/a", WINDOW);
    expect(queued.status).toBe(202);
    expect(b.state.runner.isSessionBusy(b.session)).toBe(true);
    await b.state.clock.advance(4000);
    const [, second] = b.state.runs.list(b.vm);
    expect(second).toMatchObject({ state: "completed", startedAt: start + 4000 });
    expect(b.text(second!.stdout)).toBe("a\n");
    expect(b.state.runner.isSessionBusy(b.session)).toBe(false);
  });

  it("a cancelled parked run ends at the time of the cancel, exit 130", async () => {
    const b = bench();
    const start = b.state.clock.now();
    await b.start("sleep 10; echo no > /tmp/no", { background: true });
    await b.state.clock.advance(3000);
    const [run] = b.state.runs.list(b.vm);
    b.state.runner.cancel(run!);
    expect(run).toMatchObject({
      state: "cancelled",
      failReason: "cancelled",
      exitCode: 130,
      completedAt: start + 3000,
    });
    await b.state.clock.advance(10_000);
    expect(b.state.filesystemOf(b.vm).kindOf("/tmp/no")).toBeUndefined();
    expect(run?.state).toBe("cancelled");
    // The session's queue moved on: its next run starts and ends.
    expect(await b.start("echo next")).toMatchObject({ status: 200, body: { stdout: "next\n" } });
  });

  it("a signal ends the oldest running run of the session with 128 + its number; the next goes on", async () => {
    const b = bench();
    await b.start("sleep 10", { background: true });
    await b.start("echo next", { background: true });
    const [first, second] = b.state.runs.list(b.vm);
    expect(b.state.runner.signal(b.session, 15)).toBe(first);
    expect(first).toMatchObject({ state: "failed", failReason: "signal", exitCode: 143 });
    await b.state.clock.advance(0);
    expect(second).toMatchObject({ state: "completed" });
    expect(b.state.runner.signal(b.session, 2)).toBeUndefined();
  });

  it("a host failure ends a running run failed, host_failed, exit 137", async () => {
    const b = bench();
    await b.start("sleep 10", { background: true });
    const [run] = b.state.runs.list(b.vm);
    b.state.runner.failForHost(run!);
    expect(run).toMatchObject({ state: "failed", failReason: "host_failed", exitCode: 137 });
    b.state.runner.cancel(run!);
    expect(run).toMatchObject({ state: "failed", exitCode: 137 });
  });
});
