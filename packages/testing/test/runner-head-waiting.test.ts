// Proves that the runner's count of waiting foreground callers stays right after a run answered 202 ends (auto clock).
import { describe, expect, it } from "vitest";
import { bench } from "./runner-unit.js";

describe("runner: waiting callers on an auto clock", () => {
  it("after a foreground run answered 202 ends, time still moves for the next foreground run", async () => {
    const b = bench({ clock: "auto" });
    const start = b.state.clock.now();
    expect(await b.start("sleep 10", { syncWindowMs: 1000 })).toMatchObject({ status: 202 });
    b.state.runner.polledRunning();
    await b.state.runner.pollJumpsDone();
    const [first] = b.state.runs.list(b.vm);
    expect(first).toMatchObject({ state: "completed", completedAt: start + 10_000 });
    expect(await b.start("sleep 2; echo next", { syncWindowMs: 5000 })).toMatchObject({
      status: 200,
      body: { state: "completed", stdout: "next\n" },
    });
    expect(b.state.clock.now()).toBe(start + 12_000);
  });
});
