// Proves a background run never counts as a waiting caller: on an "auto" clock, time does not move for it alone.
import { describe, expect, it } from "vitest";
import { bench } from "./runner-unit.js";

describe("runner: a background run on an auto clock", () => {
  it("parks on the clock and stays running while nobody waits or polls", async () => {
    const b = bench({ clock: "auto" });
    const start = b.state.clock.now();
    expect(await b.start("sleep 10; echo late", { background: true })).toMatchObject({
      status: 202,
    });
    // The first step lets the run park on the clock; the clock's steps run in order, so a
    // time-skip started when it parked would be made before the second step ends.
    await b.state.clock.advance(0);
    await b.state.clock.advance(0);
    expect(b.state.clock.now()).toBe(start);
    const [run] = b.state.runs.list(b.vm);
    expect(run).toMatchObject({ state: "running", attached: false });
    b.state.runner.polledRunning();
    await b.state.runner.pollJumpsDone();
    expect(run).toMatchObject({ state: "completed", completedAt: start + 10_000 });
  });
});
