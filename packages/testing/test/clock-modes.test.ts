import { afterEach, describe, expect, it, vi } from "vitest";
import { createFakeArker, DEFAULT_START_TIME } from "../src/index.js";
import { EngineClock } from "../src/support/clock.js";
import {
  type DoorKind,
  forkUbuntu,
  type Json,
  openClient,
  type RawClient,
  run,
} from "./helpers.js";

const HOUR_MS = 3_600_000;

let client: RawClient | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});

async function open(kind: DoorKind, options: Parameters<typeof openClient>[1] = {}) {
  client = await openClient(kind, options);
  return client;
}

const getRun = async (c: RawClient, vmId: string, runId: string): Promise<Json> =>
  (await c.call("GET", `/v1/vms/${vmId}/runs/${runId}`)).json;

/** Polls like `waitForRun` (no delay) and returns the final run and the states seen. */
async function pollToEnd(c: RawClient, vmId: string, runId: string, limit = 50) {
  const seen: string[] = [];
  for (let i = 0; i < limit; i++) {
    const current = await getRun(c, vmId, runId);
    seen.push(current.state);
    if (current.state !== "running") return { run: current, seen };
  }
  throw new Error(`run ${runId} still running after ${limit} polls: ${seen.join(",")}`);
}

/** Lets queued jumps run (none should happen when nobody waits). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe.each<DoorKind>(["in-process", "http"])("auto clock through the %s door", (kind) => {
  it("is the default", async () => {
    const c = await open(kind);
    expect(c.fake.clock.mode).toBe("auto");
    expect((await c.call("GET", "/_fake/clock")).json.mode).toBe("auto");
  });

  it("completes a background sleep 3600: running on the first poll, done on the next, an hour later", async () => {
    const c = await open(kind);
    const vm = await forkUbuntu(c);
    const before = c.fake.clock.now();
    const started = await run(c, vm.vm_id, {
      command: "sleep 3600; echo done",
      background: true,
    });
    expect(started.status).toBe(202);
    const { run: done, seen } = await pollToEnd(c, vm.vm_id, started.json.run_id);
    expect(seen).toEqual(["running", "completed"]);
    expect(done).toMatchObject({ state: "completed", exit_code: 0, stdout: "done\n" });
    expect(Date.parse(done.completed_at) - Date.parse(done.started_at)).toBe(HOUR_MS);
    expect(c.fake.clock.now() - before).toBe(HOUR_MS);
  });

  it("answers a foreground sleep 3600 with 202 at the end of the window, then polls finish it", async () => {
    const c = await open(kind);
    const vm = await forkUbuntu(c);
    const before = c.fake.clock.now();
    const started = await run(c, vm.vm_id, { command: "sleep 3600; echo late" });
    expect(started.status).toBe(202);
    expect(started.json.state).toBe("running");
    expect(c.fake.clock.now() - before).toBe(30_000);
    const { run: done, seen } = await pollToEnd(c, vm.vm_id, started.json.run_id);
    expect(seen).toEqual(["running", "completed"]);
    expect(done.stdout).toBe("late\n");
    expect(c.fake.clock.now() - before).toBe(HOUR_MS);
  });

  it("answers a foreground run inside its window after skipping its sleeps", async () => {
    const c = await open(kind);
    const vm = await forkUbuntu(c);
    const before = c.fake.clock.now();
    const response = await run(c, vm.vm_id, { command: "sleep 5; sleep 7; echo ok" });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ state: "completed", stdout: "ok\n" });
    expect(c.fake.clock.now() - before).toBe(12_000);
  });

  it("times out a foreground run on fake time", async () => {
    const c = await open(kind);
    const vm = await forkUbuntu(c);
    const before = c.fake.clock.now();
    const response = await run(c, vm.vm_id, { command: "sleep 10; echo never", timeout: 2 });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      state: "failed",
      fail_reason: "timeout",
      exit_code: 124,
    });
    expect(c.fake.clock.now() - before).toBe(2_000);
  });

  it("lets a foreground run queued behind a sleeping background run wait for it", async () => {
    const c = await open(kind);
    const vm = await forkUbuntu(c);
    await run(c, vm.vm_id, { command: "sleep 10; echo a > /tmp/order", background: true });
    const second = await run(c, vm.vm_id, { command: "echo b >> /tmp/order; cat /tmp/order" });
    expect(second.status).toBe(200);
    expect(second.json.stdout).toBe("a\nb\n");
    expect(c.fake.clock.now() - DEFAULT_START_TIME).toBe(10_000);
  });

  it("jumps once per poll of a running run, to the next due timer", async () => {
    const c = await open(kind);
    const vm = await forkUbuntu(c);
    const started = await run(c, vm.vm_id, {
      command: "for i in 1 2 3; do sleep 100; echo $i; done",
      background: true,
    });
    const { run: done, seen } = await pollToEnd(c, vm.vm_id, started.json.run_id);
    expect(seen).toEqual(["running", "running", "running", "completed"]);
    expect(done.stdout).toBe("1\n2\n3\n");
    expect(c.fake.clock.now() - DEFAULT_START_TIME).toBe(300_000);
  });

  it("does not move while nobody waits, nor for a poll of a finished run", async () => {
    const c = await open(kind);
    const vm = await forkUbuntu(c);
    const quick = await run(c, vm.vm_id, { command: "echo hi", background: true });
    const session = await c.call("POST", `/v1/vms/${vm.vm_id}/sessions`, { body: {} });
    await run(c, vm.vm_id, {
      command: "sleep 60",
      background: true,
      session_id: session.json.session_id,
    });
    await settle();
    expect((await getRun(c, vm.vm_id, quick.json.run_id)).state).toBe("completed");
    await settle();
    expect(c.fake.clock.now()).toBe(DEFAULT_START_TIME);
  });

  it("still moves by clock.advance", async () => {
    const c = await open(kind);
    await c.fake.clock.advance(1_234);
    expect(c.fake.clock.now()).toBe(DEFAULT_START_TIME + 1_234);
  });
});

describe("auto clock determinism", () => {
  it("gives the same runs and times for the same seed", async () => {
    const script = async () => {
      const c = await openClient("in-process", { seed: 9 });
      try {
        const vm = await forkUbuntu(c);
        const b = await run(c, vm.vm_id, { command: "sleep 3; echo b" });
        const a = await run(c, vm.vm_id, { command: "sleep 50; echo a", background: true });
        const done = await pollToEnd(c, vm.vm_id, a.json.run_id);
        return { a: done.run, b: b.json, now: c.fake.clock.now() };
      } finally {
        await c.close();
      }
    };
    const first = await script();
    expect(first.b.state).toBe("completed");
    expect(await script()).toEqual(first);
  });
});

describe("manual clock", () => {
  it("never moves for polls: only clock.advance moves it, exactly", async () => {
    const c = await open("in-process", { clock: "manual" });
    expect(c.fake.clock.mode).toBe("manual");
    const vm = await forkUbuntu(c);
    const started = await run(c, vm.vm_id, { command: "sleep 3600; echo x", background: true });
    for (let i = 0; i < 5; i++) {
      expect((await getRun(c, vm.vm_id, started.json.run_id)).state).toBe("running");
    }
    await settle();
    expect(c.fake.clock.now()).toBe(DEFAULT_START_TIME);
    await c.fake.clock.advance(HOUR_MS - 1);
    expect((await getRun(c, vm.vm_id, started.json.run_id)).state).toBe("running");
    await c.fake.clock.advance(1);
    expect((await getRun(c, vm.vm_id, started.json.run_id)).state).toBe("completed");
  });
});

describe("real clock", () => {
  it("follows the wall clock from the start instant and fires sleeps on it", async () => {
    const c = await open("http", { clock: "real" });
    expect((await c.call("GET", "/_fake/clock")).json.mode).toBe("real");
    const vm = await forkUbuntu(c);
    // Seconds, not milliseconds: a loaded machine can take longer than a short sleep to answer.
    const started = await run(c, vm.vm_id, { command: "sleep 2; echo woke", background: true });
    expect((await getRun(c, vm.vm_id, started.json.run_id)).state).toBe("running");
    let done = await getRun(c, vm.vm_id, started.json.run_id);
    for (let waited = 0; done.state === "running" && waited < 20_000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      done = await getRun(c, vm.vm_id, started.json.run_id);
    }
    expect(done).toMatchObject({ state: "completed", stdout: "woke\n" });
    expect(c.fake.clock.now() - DEFAULT_START_TIME).toBeGreaterThanOrEqual(2_000);
    expect(c.fake.clock.now() - DEFAULT_START_TIME).toBeLessThan(60_000);
  }, 30_000);

  it("moves ahead by clock.advance, firing what falls due", async () => {
    const c = await open("in-process", { clock: "real" });
    const vm = await forkUbuntu(c);
    const started = await run(c, vm.vm_id, { command: "sleep 600; echo x", background: true });
    await c.fake.clock.advance(600_000);
    expect(c.fake.clock.now() - DEFAULT_START_TIME).toBeGreaterThanOrEqual(600_000);
    expect((await getRun(c, vm.vm_id, started.json.run_id)).state).toBe("completed");
  });

  it("keeps one wall timer for the earliest timer and drops it on clear", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    try {
      const clock = new EngineClock(DEFAULT_START_TIME, "real");
      const fired: number[] = [];
      clock.schedule(DEFAULT_START_TIME + 3_600_000, () => {
        fired.push(1);
        return undefined;
      });
      clock.schedule(DEFAULT_START_TIME + 5, () => {
        fired.push(2);
        return undefined;
      });
      expect(vi.getTimerCount()).toBe(1);
      await vi.advanceTimersByTimeAsync(5);
      expect(fired).toEqual([2]);
      expect(clock.now()).toBe(DEFAULT_START_TIME + 5);
      expect(vi.getTimerCount()).toBe(1);
      clock.clear();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it("rejects an unknown mode", async () => {
    await expect(createFakeArker({ clock: "fast" as never })).rejects.toThrow(
      /clock must be one of auto, real, manual/,
    );
  });
});
