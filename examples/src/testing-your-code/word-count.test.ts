import { Arker } from "@arker-ai/sdk";
import { createFakeArker } from "@arker-ai/testing";
import { useFakeArker } from "@arker-ai/testing/vitest";
import { describe, expect, it } from "vitest";
import { countWords } from "./word-count.js";

// A downstream project's tests of its own code (./word-count.ts) against the fake.

describe("countWords against the default fake (auto clock)", () => {
  const fake = useFakeArker({ python: false }); // a fresh fake per test, closed after it

  it("finishes a ten-minute job without touching the clock", async () => {
    const ar = new Arker(fake().clientOptions);
    const started = fake().clock.now();
    const result = await countWords(ar, "the quick brown fox", { pollIntervalMs: 10 });
    expect(result).toMatchObject({ ok: true, words: 4 });
    // Fake time jumped over the job's sleep while waitForRun polled.
    expect(fake().clock.now() - started).toBe(600_000);
  });

  it("runs a stub in place of a job, reading the file the code wrote into the VM", async () => {
    fake().commands.on(/^analyze /, ({ argv, files }) => {
      const input = new TextDecoder().decode(files.read(argv[1] ?? "") ?? new Uint8Array());
      return { stdout: `${input.split(/\s+/).filter(Boolean).length}\n`, durationMs: 3_600_000 };
    });
    const ar = new Arker(fake().clientOptions);
    const result = await countWords(ar, "one two three", {
      command: "analyze /work/input.txt",
      pollIntervalMs: 10,
    });
    expect(result).toMatchObject({ ok: true, words: 3 });
  });

  it("survives a 503 on fork (the SDK retries) and the request log shows it", async () => {
    fake().faults.add({
      method: "POST",
      path: "/v1/fork",
      times: 1,
      effect: { type: "respond", status: 503, code: "unavailable" },
    });
    const ar = new Arker({ ...fake().clientOptions, retry: { baseDelayMs: 1, maxDelayMs: 5 } });
    const result = await countWords(ar, "a b", { pollIntervalMs: 10 });
    expect(result).toMatchObject({ ok: true, words: 2 });
    const forks = fake().requests.filter((entry) => entry.path === "/v1/fork");
    expect(forks.map((entry) => entry.status)).toEqual([503, 200]);
    // The log never holds API keys.
    expect(JSON.stringify(fake().requests)).not.toContain(fake().apiKey);
  });

  it("reports a job lost with its host (a non-durable VM) as host_failed", async () => {
    fake().commands.on("doomed-job", ({ vmId }) => {
      fake().failHost(vmId);
      return { stdout: "never seen\n" };
    });
    const ar = new Arker(fake().clientOptions);
    const result = await countWords(ar, "x", { command: "doomed-job", pollIntervalMs: 10 });
    expect(result).toMatchObject({ ok: false, reason: "host_failed" });
    // countWords still deleted the failed VM.
    expect(fake().vms.filter((vm) => vm.owner_org_id === fake().orgId)).toEqual([]);
  });
});

describe.each([
  ["in-process", false],
  ["listening", true],
] as const)("an hour-long job through the %s door, default clock", (_door, listen) => {
  const fake = useFakeArker({ python: false, listen });

  it("in the foreground: answered as background after the 30 s window, then waitForRun ends it", async () => {
    const ar = new Arker(fake().clientOptions);
    const vm = await ar.fork("ubuntu");
    const started = fake().clock.now();
    const run = await vm.run("sleep 3600; echo finally");
    expect(run.type).toBe("background");
    expect(fake().clock.now() - started).toBe(30_000);
    const done = await vm.waitForRun(run.runId, { pollIntervalMs: 10 });
    expect(done).toMatchObject({ state: "completed", exitCode: 0 });
    expect(new TextDecoder().decode(done.stdout)).toBe("finally\n");
    expect(fake().clock.now() - started).toBe(3_600_000);
  });

  it("in the background: waitForRun ends it, an hour of fake time later", async () => {
    const ar = new Arker(fake().clientOptions);
    const vm = await ar.fork("ubuntu");
    const started = fake().clock.now();
    const run = await vm.run("sleep 3600; echo finally", { background: true });
    expect((await vm.getRun(run.runId)).state).toBe("running");
    const done = await vm.waitForRun(run.runId, { pollIntervalMs: 10 });
    expect(done.state).toBe("completed");
    expect(Date.parse(done.completedAt ?? "") - Date.parse(done.startedAt)).toBe(3_600_000);
    expect(fake().clock.now() - started).toBe(3_600_000);
  });
});

describe("stepping time by hand (manual clock)", () => {
  const fake = useFakeArker({ python: false, clock: "manual" });

  it("leaves a job running until the test advances the clock", async () => {
    const ar = new Arker(fake().clientOptions);
    const vm = await ar.fork("ubuntu");
    const started = await vm.run("sleep 600; echo done", { background: true });
    expect((await vm.getRun(started.runId)).state).toBe("running");
    await fake().clock.advance(599_999);
    expect((await vm.getRun(started.runId)).state).toBe("running");
    await fake().clock.advance(1);
    expect((await vm.getRun(started.runId)).state).toBe("completed");
  });
});

it("closes a fake with await using", async () => {
  let closedFake: Awaited<ReturnType<typeof createFakeArker>>;
  {
    await using fake = await createFakeArker({ python: false });
    closedFake = fake;
    const ar = new Arker(fake.clientOptions);
    expect((await ar.fork("ubuntu")).id).toMatch(/^vm_/);
  }
  const ar = new Arker({ ...closedFake.clientOptions, retry: false });
  await expect(ar.fork("ubuntu")).rejects.toThrow();
});
