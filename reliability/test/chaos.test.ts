import { INLINE_FILE_LIMIT_BYTES } from "@arker-ai/core";
import { afterAll, describe, expect, it } from "vitest";
import { ChaosLedger } from "./lib/chaos-ledger";
import { verifyChaos } from "./lib/chaos-verify";
import { driveChaos } from "./lib/chaos-workload";
import { arkerFor, SOAK, startFake, watchUnhandledRejections } from "./lib/connect";
import { FAULTS } from "./lib/fault-mix";
import { bump, createFigures, saveFigures } from "./lib/figures";
import { patternBytes, sha256 } from "./lib/random";
import { RequestTally } from "./lib/request-tally";
import { activeResources, leakedSince } from "./lib/resources";
import { capturingLogger } from "./lib/trace";

const SEED = 20_251_129;
const OPERATIONS = SOAK ? 10_000 : 2_000;
const WORKERS = 16;

const figures = createFigures(
  "chaos",
  `${OPERATIONS} mixed operations per door (fork, run foreground and background, write 0 B–8 MiB as bytes, Blob, stream or iterable, read, mount, resize, delete, sessions, cancel, calls aborted mid-flight) from ${WORKERS} concurrent workers, through each door of the fake (real HTTP, then the in-process dispatcher), with 503, 429 + Retry-After, latency, reset-before and reset-after on every route at 20 %.`,
);
afterAll(() => saveFigures(figures));

/** The fake's two doors: real HTTP on loopback, and the in-process undici dispatcher. */
const DOORS = [
  ["listening", true],
  ["in-process", false],
] as const;

/** "a 3, b 5" from a record of counts. */
const list = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([key, count]) => `${key} ${count}`)
    .join(", ");

describe("chaos", () => {
  it.each(DOORS)(
    `%s door: ${OPERATIONS} operations, one request in five faulted: no duplicate, no lost byte, no leak`,
    async (door, listen) => {
      const baseline = activeResources();
      const unhandled = watchUnhandledRejections();
      const fake = await startFake({ listen, seed: SEED });
      const trace = capturingLogger(0);
      const ar = arkerFor(fake, { logLevel: "debug", logger: trace, maxConnections: 32 });
      // A second client that never retries: its failures must still be well-formed
      // ArkerErrors whose `retryable` says what retrying would do.
      const once = arkerFor(fake, { retry: false });
      const tally = new RequestTally(fake);
      const ledger = new ChaosLedger();
      fake.commands.on(/^mark /, ({ command }) => {
        ledger.executions.set(command, (ledger.executions.get(command) ?? 0) + 1);
        return { stdout: `ok ${command}\n` };
      });
      const filesystem = await ar.createFilesystem({ name: "chaos-shared" });
      const base = await ar.fork("ubuntu-full", { name: "chaos-base" });
      for (const rule of FAULTS) fake.faults.add(rule);

      await driveChaos(
        { ar, once, base, filesystemId: filesystem.filesystem_id, seed: SEED, ledger },
        OPERATIONS,
        WORKERS,
      );

      fake.faults.clear();
      tally.stop();
      const verdict = verifyChaos(fake, ledger);
      await ar.close();
      await once.close();
      await fake.close();
      unhandled.stop();
      const leaked = await leakedSince(baseline);

      const duplicates =
        verdict.vmDuplicates +
        verdict.runDuplicates +
        verdict.mountDuplicates +
        verdict.sessionDuplicates +
        verdict.filesystemDuplicates;
      figures.operations += ledger.operations;
      figures.requests += tally.requests;
      for (const [kind, count] of Object.entries(tally.faults)) bump(figures.faults, kind, count);
      figures.retries += trace.retries;
      figures.duplicates += duplicates;
      figures.bytesLost += ledger.bytesLost + verdict.bytesLost;
      figures.leaks += Object.values(leaked).reduce((a, b) => a + b, 0) + unhandled.reasons.length;
      const notes: Record<string, string | number> = {
        "operations by kind": list(ledger.byOperation),
        "retries by cause": list(trace.retriesByCode),
        "VMs created on the server / fork calls that returned": `${verdict.createdOnServer} / ${ledger.forksReturned.size}`,
        "runs executed / run calls": `${[...ledger.executions.values()].reduce((a, b) => a + b, 0)} / ${ledger.runCommands.length}`,
        "files verified byte-identical (sha256)": `${verdict.filesChecked} files, ${verdict.bytesChecked} bytes`,
        "write data forms": list(ledger.forms),
        "failed operations":
          Object.keys(ledger.failures).length === 0 ? "none" : list(ledger.failures),
        "expected failures (missing files; a client without retries), all well-formed": list(
          ledger.expectedFailures,
        ),
        "unhandled rejections": unhandled.reasons.length,
        "leaked sockets, servers and timers after close()": JSON.stringify(leaked),
        "5xx not caused by a fault rule": tally.unexpected5xx,
      };
      for (const [name, value] of Object.entries(notes))
        figures.notes[`${door} door: ${name}`] = value;

      expect(ledger.defects).toEqual([]);
      expect(ledger.failures).toEqual({});
      expect([...ledger.mismatches, ...verdict.mismatches]).toEqual([]);
      expect(verdict.vmDuplicates).toBe(0);
      expect(verdict.aliveNames).toEqual(verdict.expectedAlive);
      expect(verdict.createdOnServer).toBe(ledger.forksReturned.size);
      expect(verdict.runDuplicates).toBe(0);
      expect(verdict.runsLost).toBe(0);
      expect(verdict.mountDuplicates).toBe(0);
      expect(verdict.mountsLost).toBe(0);
      expect(verdict.mountsNotRemoved).toBe(0);
      expect(verdict.sessionDuplicates).toBe(0);
      expect(verdict.sessionsLost).toBe(0);
      expect(verdict.filesystemNames).toEqual(verdict.expectedFilesystems);
      expect(ledger.bytesLost + verdict.bytesLost).toBe(0);
      expect(unhandled.reasons).toEqual([]);
      expect(leaked).toEqual({});
      expect(tally.unexpected5xx).toBe(0);
      // The run really was chaotic: every kind of fault fired and the SDK retried.
      for (const kind of ["503", "429", "latency", "reset-before", "reset-after"]) {
        expect(tally.faults[kind] ?? 0, `faults of kind ${kind}`).toBeGreaterThan(0);
      }
      expect(trace.retries).toBeGreaterThan(0);
      // Failures were seen and checked: a missing file, and transient ones without retries.
      const expected = Object.keys(ledger.expectedFailures);
      expect(expected.some((key) => key.startsWith("not_found"))).toBe(true);
      expect(expected.some((key) => key.endsWith("(retryable true)"))).toBe(true);
    },
  );

  it("attempts cut short by the client's timeout are retried, and each call still acts once", async () => {
    const fake = await startFake({ listen: true, seed: SEED + 1 });
    const trace = capturingLogger(0);
    const ar = arkerFor(fake, { logLevel: "debug", logger: trace, timeoutMs: 300 });
    const executions = new Map<string, number>();
    fake.commands.on(/^mark /, ({ command }) => {
      executions.set(command, (executions.get(command) ?? 0) + 1);
      return { stdout: "ok\n" };
    });
    const base = await ar.fork("ubuntu-full", { name: "slow-base" });
    const filesystem = await ar.createFilesystem({ name: "slow-fs" });
    // The server acts after the delay, long after the client gave up on the attempt.
    for (const [method, path] of [
      ["POST", "/v1/fork"],
      ["POST", "/v1/vms/*/runs"],
      ["POST", "/v1/vms/*/sync-file"],
      ["POST", "/v1/vms/*/sessions"],
      ["POST", "/v1/vms/*/syncs"],
    ] as const) {
      fake.faults.add({ method, path, times: 2, effect: { type: "latency", ms: 3_000 } });
    }
    const bytes = patternBytes(100_000, 9);
    const [child, run, , session, mount] = await Promise.all([
      ar.fork("ubuntu-full", { name: "slow-child" }),
      base.run("mark slow"),
      base.sync("/data/slow.bin", bytes),
      base.createSession(),
      base.createSync({ filesystemId: filesystem.filesystem_id, path: "/mnt/slow" }),
    ]);
    figures.operations += 7;
    // The delayed first attempts reach the handlers only now: wait until all ten are
    // answered (into the void) before counting side effects. Bounded: a hang detector.
    for (let waited = 0; waited < 200; waited++) {
      if (fake.requests.filter((entry) => entry.fault === "latency").length >= 10) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(fake.requests.filter((entry) => entry.fault === "latency")).toHaveLength(10);
    const snapshot = fake.vms.find((vm) => vm.vm_id === base.id)!;
    const slowForks = fake.vms.filter((vm) => vm.name === "slow-child");
    const duplicates =
      slowForks.length -
      1 +
      (executions.get("mark slow") ?? 0) -
      1 +
      snapshot.sessions.filter((s) => s.session_idx > 0).length -
      1 +
      snapshot.syncs.length -
      1;
    const timedOut = trace.retriesByCode.network_error ?? 0;
    figures.duplicates += duplicates;
    figures.retries += trace.retries;
    bump(figures.faults, "latency past the timeout", 10);
    figures.notes["attempts cut by the client's timeout, then retried"] =
      `${timedOut} (fork, run, write, session, mount each acted once)`;
    expect(child.id).toBe(slowForks[0]?.vm_id);
    expect(run.type === "completed" && run.exitCode === 0).toBe(true);
    expect(session.session_id).toBe(snapshot.sessions.find((s) => s.session_idx > 0)?.session_id);
    expect(mount.sync_id).toBe(snapshot.syncs[0]?.sync_id);
    expect(sha256(fake.files(base.id).read("/data/slow.bin")!)).toBe(sha256(bytes));
    expect(duplicates).toBe(0);
    expect(timedOut).toBeGreaterThanOrEqual(5);
    await ar.close();
    await fake.close();
  });

  it("concurrent writers, readers and forks of one path: every copy is one whole version", async () => {
    const fake = await startFake({ listen: true, seed: SEED + 2 });
    const trace = capturingLogger(0);
    const ar = arkerFor(fake, { logLevel: "debug", logger: trace });
    const vm = await ar.fork("ubuntu-full", { name: "contended" });
    const path = "/data/contended.bin";
    const initial = patternBytes(1_000, 1);
    await vm.sync(path, initial);
    for (const rule of FAULTS) fake.faults.add(rule);
    const sizes = [0, 10, 70_000, INLINE_FILE_LIMIT_BYTES, INLINE_FILE_LIMIT_BYTES + 1, 6_000_000];
    const versions = new Map<string, number>([[sha256(initial), initial.byteLength]]);
    const rounds = SOAK ? 10 : 3;
    const torn: string[] = [];
    let reads = 0;
    let forked = 0;
    for (let round = 0; round < rounds; round++) {
      const writes = sizes.map((size, index) => {
        const bytes = patternBytes(size, 100 * round + index + 2);
        versions.set(sha256(bytes), size);
        return vm.sync(path, bytes);
      });
      const readers = Array.from({ length: 6 }, async () => {
        const bytes = await vm.sync(path);
        reads++;
        if (!versions.has(sha256(bytes))) torn.push(`read of ${bytes.byteLength} bytes`);
      });
      // Forks taken mid-race copy one whole version too.
      const forks = Array.from({ length: 2 }, async () => {
        const child = await vm.fork();
        const copy = fake.files(child.id).read(path);
        forked++;
        if (copy === undefined || !versions.has(sha256(copy))) torn.push("a fork's copy");
        await child.delete();
      });
      await Promise.all([...writes, ...readers, ...forks]);
      figures.operations += writes.length + readers.length + 2 * forks.length;
    }
    fake.faults.clear();
    const final = fake.files(vm.id).read(path);
    if (final === undefined || !versions.has(sha256(final))) torn.push("final file");
    figures.retries += trace.retries;
    figures.notes["one path, concurrent writers and readers"] =
      `${rounds} rounds of ${sizes.length} writes (0 B to 6 MB) racing 6 reads and 2 forks each; ${reads} reads and ${forked} forks' copies, every one a whole written version`;
    await ar.close();
    await fake.close();
    expect(torn).toEqual([]);
  });
});
