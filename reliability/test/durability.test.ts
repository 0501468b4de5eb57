import { ArkerError } from "@arker-ai/core";
import type { RunResult, Vm } from "@arker-ai/sdk";
import { afterAll, describe, expect, it } from "vitest";
import { arkerFor, SOAK, startFake } from "./lib/connect";
import { errorDefect } from "./lib/errors";
import { bump, createFigures, saveFigures } from "./lib/figures";
import { bounded, gate, HANG_MS } from "./lib/hold";
import { patternBytes, Rng, sha256 } from "./lib/random";
import { RequestTally } from "./lib/request-tally";
import { capturingLogger } from "./lib/trace";

const DURABLE_VMS = SOAK ? 24 : 6;
const RUNS_PER_VM = SOAK ? 12 : 4;
const NON_DURABLE_VMS = SOAK ? 16 : 4;
/** Most fake-time rounds before the test gives up waiting for the runs. */
const MAX_ROUNDS = 200;

const figures = createFigures(
  "durability",
  `${DURABLE_VMS} durable VMs, each running ${RUNS_PER_VM} background runs (and a foreground run in flight) while its host fails every fake second, with answers of run requests lost (reset-after) and 503s on polls: every run completes exactly once per idempotency key, files intact. ${NON_DURABLE_VMS} non-durable VMs: every run in flight fails with host_failed and stays readable, the VM reads failed, new runs and file access answer conflict, delete works, nothing hangs.`,
);
afterAll(() => saveFigures(figures));

describe("durability", () => {
  it("durable VMs under repeated host failure: every run exactly once per key, files intact", async () => {
    const fake = await startFake({ seed: 4_242, clock: "manual" });
    const trace = capturingLogger(0);
    const ar = arkerFor(fake, { logLevel: "debug", logger: trace });
    const tally = new RequestTally(fake);
    const rng = new Rng(4_242);
    const gates = new Map<string, ReturnType<typeof gate>>();
    const stubRuns = new Map<string, number>();
    fake.commands.on(/^inflight /, async ({ command }) => {
      stubRuns.set(command, (stubRuns.get(command) ?? 0) + 1);
      const held = gates.get(command);
      held?.enter();
      await held?.released;
      return { stdout: `${command} done\n` };
    });

    interface Tracked {
      vm: Vm;
      sha: string;
      size: number;
      runs: Array<{ key: string; runId: string }>;
      inflight: { command: string; result: Promise<RunResult> };
    }
    const tracked: Tracked[] = [];
    for (let index = 0; index < DURABLE_VMS; index++) {
      const vm = await ar.fork("ubuntu-full", { name: `durable-${index}`, durable: true });
      const data = patternBytes(rng.int(0, 5 * 1024 * 1024), index + 1);
      await vm.sync("/home/user/data.bin", data);
      figures.operations += 2;
      // A foreground run in its own session, held inside its command while hosts fail.
      const session = await vm.createSession();
      const command = `inflight ${index}`;
      gates.set(command, gate());
      const result = vm.run(command, { sessionId: session.session_id });
      await gates.get(command)!.entered;
      tracked.push({
        vm,
        sha: sha256(data),
        size: data.byteLength,
        runs: [],
        inflight: { command, result },
      });
    }

    // Lost answers and unavailable polls, on top of the host failures.
    fake.faults.add({
      method: "POST",
      path: "/v1/vms/*/runs",
      probability: 0.3,
      effect: { type: "reset-after" },
    });
    fake.faults.add({
      method: "GET",
      path: "/v1/vms/*/runs/*",
      probability: 0.1,
      effect: { type: "respond", status: 503, code: "unavailable" },
    });

    for (const item of tracked) {
      for (let run = 0; run < RUNS_PER_VM; run++) {
        const key = `${item.vm.id}-job-${run}`;
        const started = await item.vm.run(
          `sleep ${rng.int(1, 4)}; echo ${key} >> /home/user/ledger`,
          {
            background: true,
            idempotencyKey: key,
          },
        );
        figures.operations++;
        if (started.type !== "background") throw new Error(`${key} answered ${started.type}`);
        item.runs.push({ key, runId: started.runId });
      }
    }

    let rounds = 0;
    let replays = 0;
    let replayMismatches = 0;
    const stillRunning = () =>
      fake.vms.some(
        (vm) => vm.name?.startsWith("durable-") && vm.runs.some((run) => run.state === "running"),
      );
    while (rounds < MAX_ROUNDS && (rounds < 3 || stillRunning())) {
      rounds++;
      for (const item of tracked) {
        fake.failHost(item.vm.id);
        bump(figures.faults, "failHost");
      }
      if (rounds === 2) for (const [, held] of gates) held.release();
      // A client retrying a run with its key mid-storm gets the same run back.
      const item = rng.pick(tracked);
      const again = rng.pick(item.runs);
      const replay = await item.vm
        .run(`sleep 0; echo ${again.key} >> /home/user/ledger`, {
          background: true,
          idempotencyKey: again.key,
        })
        .catch((error: unknown) => error);
      figures.operations++;
      replays++;
      // Same key, different body: the service refuses (409), never runs it twice.
      if (!(ArkerError.is(replay) && replay.code === "conflict")) replayMismatches++;
      await fake.clock.advance(1_000);
    }
    expect(stillRunning()).toBe(false);

    let duplicates = 0;
    let retried = 0;
    for (const item of tracked) {
      const ledger = new TextDecoder().decode(await item.vm.sync("/home/user/ledger"));
      const lines = ledger.split("\n").filter(Boolean);
      for (const { key, runId } of item.runs) {
        const count = lines.filter((line) => line === key).length;
        duplicates += Math.max(0, count - 1);
        expect(count, `executions of ${key}`).toBe(1);
        const run = await item.vm.getRun(runId);
        figures.operations += 1;
        expect([run.state, run.exitCode]).toEqual(["completed", 0]);
        if (run.retryCount > 0) retried++;
        // The same key and the same body again: the original run, replayed.
        const same = await item.vm.run(run.command ?? "", {
          background: true,
          idempotencyKey: key,
        });
        figures.operations++;
        expect(same.runId).toBe(runId);
      }
      expect(lines).toHaveLength(item.runs.length);
      const inflight = await bounded(item.inflight.result, item.inflight.command);
      expect(
        inflight.type === "completed" && inflight.exitCode === 0 && inflight.failReason === null,
      ).toBe(true);
      duplicates += Math.max(0, (stubRuns.get(item.inflight.command) ?? 0) - 1);
      const data = await item.vm.sync("/home/user/data.bin");
      figures.operations += 2;
      if (sha256(data) !== item.sha) figures.bytesLost += item.size;
    }
    tally.stop();
    await ar.close();
    await fake.close();

    figures.duplicates += duplicates;
    figures.retries += trace.retries;
    figures.requests += tally.requests;
    for (const [kind, count] of Object.entries(tally.faults)) bump(figures.faults, kind, count);
    figures.notes["durable runs"] =
      `${tracked.length * RUNS_PER_VM} background runs + ${tracked.length} foreground runs in flight, all completed once; ${retried} background runs resumed after a host failure (retry_count > 0)`;
    figures.notes["fake-time rounds (1 s each, every durable host failed each round)"] = rounds;
    figures.notes["same key, other body (409 conflict, nothing run)"] =
      `${replays - replayMismatches} / ${replays}`;
    expect(replayMismatches).toBe(0);
    expect(duplicates).toBe(0);
    expect(figures.bytesLost).toBe(0);
    expect(retried).toBeGreaterThan(0);
    expect(trace.retries).toBeGreaterThan(0);
  });

  it("non-durable VMs: runs in flight fail with host_failed, the VM turns failed, every later call settles", async () => {
    const fake = await startFake({ seed: 5_151, clock: "manual" });
    const ar = arkerFor(fake);
    const gates = new Map<string, ReturnType<typeof gate>>();
    fake.commands.on(/^inflight /, async ({ command }) => {
      const held = gates.get(command);
      held?.enter();
      await held?.released;
      return { stdout: "too late\n" };
    });
    const outcomes: Record<string, number> = {};
    const defects: string[] = [];
    const settle = async (what: string, work: () => Promise<unknown>) => {
      figures.operations++;
      try {
        const value = await bounded(work(), what);
        bump(outcomes, `${what}: ok`);
        return value;
      } catch (error) {
        if (error instanceof Error && error.message.startsWith("hung")) throw error;
        const defect = errorDefect(error);
        if (defect) defects.push(defect);
        bump(outcomes, `${what}: ${(error as ArkerError).code}`);
        return undefined;
      }
    };

    for (let index = 0; index < NON_DURABLE_VMS; index++) {
      const vm = await ar.fork("ubuntu-full", { name: `fragile-${index}` });
      const background = await vm.run("sleep 100; echo never >> /home/user/ledger", {
        background: true,
      });
      const session = await vm.createSession();
      const command = `inflight ${index}`;
      gates.set(command, gate());
      const foreground = vm.run(command, { sessionId: session.session_id });
      await gates.get(command)!.entered;
      fake.failHost(vm.id);
      bump(figures.faults, "failHost");
      gates.get(command)!.release();
      const result = await bounded(foreground, command);
      expect(result).toMatchObject({
        type: "completed",
        state: "failed",
        failReason: "host_failed",
        exitCode: 137,
      });
      bump(outcomes, "foreground in flight: host_failed");
      if (background.type === "background") {
        const ended = (await settle("waitForRun", () =>
          vm.waitForRun(background.runId, {
            pollIntervalMs: 10,
            signal: AbortSignal.timeout(HANG_MS),
          }),
        )) as { state: string; failReason: string | null; exitCode: number | null } | undefined;
        if (ended)
          bump(outcomes, `background: ${ended.state} ${ended.failReason} ${ended.exitCode}`);
      }
      const info = (await settle("get", () => vm.get())) as { state: string } | undefined;
      if (info) bump(outcomes, `vm state: ${info.state}`);
      await settle("run", () => vm.run("true"));
      await settle("read", () => vm.sync("/home/user/ledger"));
      await settle("write", () => vm.sync("/home/user/ledger", "x"));
      await settle("delete", () => vm.delete());
      await settle("get after delete", () => vm.get());
      await fake.clock.advance(200_000);
    }
    // A backend without durability refuses durable forks outright.
    const plain = await startFake({ seed: 5_152, durability: false });
    const arPlain = arkerFor(plain);
    await settle("durable fork without durability", () =>
      arPlain.fork("ubuntu-full", { durable: true }),
    );
    await arPlain.close();
    await plain.close();
    await ar.close();
    await fake.close();

    figures.notes["non-durable outcomes"] = Object.entries(outcomes)
      .map(([what, count]) => `${what} ×${count}`)
      .join(", ");
    expect(defects).toEqual([]);
    expect(outcomes).toEqual({
      "foreground in flight: host_failed": NON_DURABLE_VMS,
      "waitForRun: ok": NON_DURABLE_VMS,
      "background: failed host_failed 137": NON_DURABLE_VMS,
      "get: ok": NON_DURABLE_VMS,
      "vm state: failed": NON_DURABLE_VMS,
      "run: conflict": NON_DURABLE_VMS,
      "read: conflict": NON_DURABLE_VMS,
      "write: conflict": NON_DURABLE_VMS,
      "delete: ok": NON_DURABLE_VMS,
      "get after delete: not_found": NON_DURABLE_VMS,
      "durable fork without durability: unsupported_operation": 1,
    });
  });

  it("a large upload caught by a host failure: intact on a durable VM, conflict on another", async () => {
    const fake = await startFake({ seed: 6_161 });
    const ar = arkerFor(fake);
    const outcomes: string[] = [];
    for (const durable of [true, false]) {
      const vm = await ar.fork("ubuntu-full", { name: `upload-${durable}`, durable });
      const bytes = patternBytes(6 * 1024 * 1024, durable ? 1 : 2);
      // The signed-URL PUT waits a second inside the fake: the host fails meanwhile.
      fake.faults.add({
        method: "PUT",
        path: "/_fake/blobs/*",
        times: 1,
        effect: { type: "latency", ms: 1_000 },
      });
      const presigns = () =>
        fake.requests.filter(
          (entry) => entry.method === "POST" && entry.path.endsWith(`${vm.id}/sync`),
        ).length;
      const writing = vm.sync("/data/big.bin", bytes).then(
        () => "written",
        (error: unknown) => {
          const defect = errorDefect(error);
          return defect ?? (error as ArkerError).code;
        },
      );
      for (let waited = 0; waited < 100 && presigns() === 0; waited++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      fake.failHost(vm.id);
      bump(figures.faults, "failHost");
      const outcome = await bounded(writing, `upload to ${durable ? "durable" : "non-durable"} VM`);
      figures.operations++;
      outcomes.push(`${durable ? "durable" : "non-durable"}: ${outcome}`);
      if (durable) {
        const stored = fake.files(vm.id).read("/data/big.bin");
        if (stored === undefined || sha256(stored) !== sha256(bytes))
          figures.bytesLost += bytes.byteLength;
      }
    }
    await ar.close();
    await fake.close();
    figures.notes["6 MiB upload with the host failing mid-transfer"] = outcomes.join(", ");
    expect(outcomes).toEqual(["durable: written", "non-durable: conflict"]);
    expect(figures.bytesLost).toBe(0);
  });
});
