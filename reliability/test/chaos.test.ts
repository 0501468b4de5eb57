import { INLINE_FILE_LIMIT_BYTES } from "@arker-ai/core";
import type { Vm } from "@arker-ai/sdk";
import { afterAll, describe, expect, it } from "vitest";
import { arkerFor, SOAK, startFake, watchUnhandledRejections } from "./lib/connect";
import { inForm, pickForm } from "./lib/data-forms";
import { errorDefect } from "./lib/errors";
import { FAULTS } from "./lib/fault-mix";
import { bump, createFigures, saveFigures } from "./lib/figures";
import { patternBytes, Rng, sha256 } from "./lib/random";
import { RequestTally } from "./lib/request-tally";
import { activeResources, leakedSince } from "./lib/resources";
import { capturingLogger } from "./lib/trace";

const SEED = 20_251_129;
const OPERATIONS = SOAK ? 10_000 : 2_000;
const WORKERS = 16;
const MAX_WRITE_BYTES = 8 * 1024 * 1024;
/** Most VMs one worker keeps at a time (forks beyond it become deletes). */
const POOL_LIMIT = 6;

const OPERATION_WEIGHTS = {
  fork: 12,
  runForeground: 18,
  runBackground: 10,
  write: 20,
  read: 15,
  mount: 8,
  resize: 7,
  delete: 10,
  readMissing: 3,
  probeWithoutRetry: 5,
  session: 5,
  unmount: 3,
  filesystem: 3,
  cancel: 4,
  abortedCall: 4,
} as const;
type Operation = keyof typeof OPERATION_WEIGHTS;

interface TrackedVm {
  vm: Vm;
  name: string;
  /** What each written path must hold: its SHA-256 and size. */
  files: Map<string, { sha: string; size: number }>;
  /** Mounts created through the SDK (and not removed). */
  mounts: Array<{ path: string; syncId: string }>;
  /** Mount paths removed through the SDK. */
  unmounted: string[];
  /** Sessions the VM had when it was forked (a fork may copy its parent's). */
  sessionsAtFork: Set<string>;
  /** Sessions created through the SDK. */
  sessions: string[];
}

const figures = createFigures(
  "chaos",
  `${OPERATIONS} mixed operations per door (fork, run foreground and background, write 0 B–8 MiB as bytes, Blob, stream or iterable, read, mount, resize, delete, sessions, cancel, calls aborted mid-flight) from ${WORKERS} concurrent workers, through each door of the fake (real HTTP, then the in-process dispatcher), with 503, 429 + Retry-After, latency, reset-before and reset-after on every route at 20 %.`,
);
afterAll(() => saveFigures(figures));

/** A write size: empty, small, inline-sized, or above the inline limit up to 8 MiB. */
function writeSize(rng: Rng): number {
  const band = rng.weighted({ empty: 1, small: 10, inline: 4, boundary: 1, large: 2 });
  if (band === "empty") return 0;
  if (band === "small") return rng.int(1, 64 * 1024);
  if (band === "inline") return rng.int(64 * 1024, INLINE_FILE_LIMIT_BYTES);
  if (band === "boundary")
    return rng.pick([INLINE_FILE_LIMIT_BYTES, INLINE_FILE_LIMIT_BYTES + 1, MAX_WRITE_BYTES]);
  return rng.int(INLINE_FILE_LIMIT_BYTES + 1, MAX_WRITE_BYTES);
}

/** The fake's two doors: real HTTP on loopback, and the in-process undici dispatcher. */
const DOORS = [
  ["listening", true],
  ["in-process", false],
] as const;

describe("chaos", () => {
  it.each(DOORS)(
    `%s door: ${OPERATIONS} operations, one request in five faulted: no duplicate, no lost byte, no leak`,
    async (door, listen) => {
      const baseline = activeResources();
      const unhandled = watchUnhandledRejections();
      const fake = await startFake({ listen, seed: SEED });
      const trace = capturingLogger(0);
      const ar = arkerFor(fake, { logLevel: "debug", logger: trace, maxConnections: 32 });
      const tally = new RequestTally(fake);

      /** Executions of each `mark` command, counted by the command stub itself. */
      const executions = new Map<string, number>();
      fake.commands.on(/^mark /, ({ command }) => {
        executions.set(command, (executions.get(command) ?? 0) + 1);
        return { stdout: `ok ${command}\n` };
      });
      const filesystem = await ar.createFilesystem({ name: "chaos-shared" });
      const base = await ar.fork("ubuntu-full", { name: "chaos-base" });
      for (const rule of FAULTS) fake.faults.add(rule);

      const forksReturned = new Set<string>();
      const deleted = new Set<string>();
      const runCommands: string[] = [];
      const failures: Record<string, number> = {};
      const defects: string[] = [];
      const mismatches: string[] = [];
      const byOperation: Record<string, number> = {};
      const expectedFailures: Record<string, number> = {};
      const forms: Record<string, number> = {};
      const filesystemsCreated = new Set<string>();
      const filesystemsDeleted = new Set<string>();
      const sessionIds = (vm: Vm) => new Set((vm.info?.sessions ?? []).map((s) => s.session_id));
      let next = 0;
      // A second client that never retries: its failures must still be well-formed
      // ArkerErrors whose `retryable` says what retrying would do.
      const once = arkerFor(fake, { retry: false });

      const call = async <T>(work: () => Promise<T>): Promise<T | undefined> => {
        figures.operations++;
        try {
          return await work();
        } catch (error) {
          const defect = errorDefect(error);
          if (defect) defects.push(defect);
          bump(failures, (error as { code?: string }).code ?? "thrown");
          return undefined;
        }
      };

      /** An operation expected to fail sometimes (or always): only the error's shape is checked. */
      const probe = async (expectedCode: string | null, work: () => Promise<unknown>) => {
        figures.operations++;
        try {
          await work();
          if (expectedCode !== null) defects.push(`expected ${expectedCode}, the call succeeded`);
        } catch (error) {
          const defect = errorDefect(error);
          if (defect) defects.push(defect);
          const code = (error as { code?: string }).code ?? "thrown";
          if (expectedCode !== null && code !== expectedCode)
            defects.push(`expected ${expectedCode}, got ${code}`);
          bump(
            expectedFailures,
            `${code} (retryable ${(error as { retryable?: boolean }).retryable})`,
          );
        }
      };

      const worker = async (index: number): Promise<void> => {
        const first = await call(() => base.fork({ name: `chaos-w${index}` }));
        if (!first) return;
        const pool: TrackedVm[] = [
          {
            vm: first,
            name: `chaos-w${index}`,
            files: new Map(),
            mounts: [],
            unmounted: [],
            sessionsAtFork: sessionIds(first),
            sessions: [],
          },
        ];
        forksReturned.add(`chaos-w${index}`);
        for (let op = next++; op < OPERATIONS; op = next++) {
          const rng = new Rng(SEED ^ (op * 2_654_435_761));
          let kind: Operation = rng.weighted(OPERATION_WEIGHTS);
          if (kind === "fork" && pool.length >= POOL_LIMIT) kind = "delete";
          if (kind === "delete" && pool.length <= 1) kind = "fork";
          const target = rng.pick(pool);
          bump(byOperation, kind);
          switch (kind) {
            case "fork": {
              const name = `chaos-${op}`;
              const child = await call(() => target.vm.fork({ name }));
              if (child) {
                forksReturned.add(name);
                pool.push({
                  vm: child,
                  name,
                  files: new Map(target.files),
                  mounts: [],
                  unmounted: [],
                  sessionsAtFork: sessionIds(child),
                  sessions: [],
                });
              }
              break;
            }
            case "runForeground": {
              const command = `mark ${op}`;
              runCommands.push(command);
              const run = await call(() => target.vm.run(command));
              if (run && (run.type !== "completed" || run.exitCode !== 0))
                mismatches.push(`${command}: ${run.type}`);
              break;
            }
            case "runBackground": {
              const command = `mark ${op} background`;
              runCommands.push(command);
              const run = await call(() => target.vm.run(command, { background: true }));
              if (run?.type === "background") {
                const done = await call(() =>
                  target.vm.waitForRun(run.runId, { pollIntervalMs: 2 }),
                );
                if (done && done.state !== "completed")
                  mismatches.push(`${command}: ${done.state}`);
              } else if (run) mismatches.push(`${command}: answered ${run.type}`);
              break;
            }
            case "write": {
              const size = writeSize(rng);
              const bytes = patternBytes(size, op);
              const path = `/data/w${op}.bin`;
              const form = pickForm(rng);
              bump(forms, form);
              const done = await call(async () => {
                await target.vm.sync(path, inForm(bytes, form));
                return true;
              });
              if (done) target.files.set(path, { sha: sha256(bytes), size });
              break;
            }
            case "read": {
              const paths = [...target.files.keys()];
              if (paths.length === 0) {
                await call(() => target.vm.get());
                break;
              }
              const path = rng.pick(paths);
              const expected = target.files.get(path)!;
              const bytes = await call(() => target.vm.sync(path));
              if (bytes && sha256(bytes) !== expected.sha) {
                figures.bytesLost += expected.size;
                mismatches.push(
                  `read ${path}: ${bytes.byteLength} bytes, expected ${expected.size}`,
                );
              }
              break;
            }
            case "mount": {
              const path = `/mnt/m${op}`;
              const sync = await call(() =>
                target.vm.createSync({ filesystemId: filesystem.filesystem_id, path }),
              );
              if (sync) target.mounts.push({ path, syncId: sync.sync_id });
              break;
            }
            case "resize": {
              await call(() =>
                target.vm.resize(
                  rng.next() < 0.5
                    ? { vcpu_count: rng.int(1, 8) }
                    : { memory_mib: 256 * rng.int(1, 32) },
                ),
              );
              break;
            }
            case "unmount": {
              const mount = target.mounts.length > 0 ? rng.pick(target.mounts) : undefined;
              if (mount === undefined) {
                await call(() => target.vm.listSyncs());
                break;
              }
              const done = await call(async () => {
                await target.vm.deleteSync(mount.syncId);
                return true;
              });
              if (done) {
                target.mounts.splice(target.mounts.indexOf(mount), 1);
                target.unmounted.push(mount.path);
              }
              break;
            }
            case "filesystem": {
              const name = `chaos-fs-${op}`;
              const created = await call(() => ar.createFilesystem({ name }));
              if (!created) break;
              filesystemsCreated.add(name);
              if (rng.next() < 0.5) {
                const done = await call(async () => {
                  await ar.deleteFilesystem(created.filesystem_id);
                  return true;
                });
                if (done) filesystemsDeleted.add(name);
              }
              break;
            }
            case "session": {
              const session = await call(() => target.vm.createSession({ cwd: "/tmp" }));
              if (session) target.sessions.push(session.session_id);
              break;
            }
            case "cancel": {
              // Parks on the fake clock (never advanced here) until cancelled.
              const run = await call(() => target.vm.run("sleep 1000", { background: true }));
              if (run?.type !== "background") {
                if (run) mismatches.push(`sleep 1000 answered ${run.type}`);
                break;
              }
              await call(() => target.vm.cancelRun(run.runId));
              const after = await call(() => target.vm.getRun(run.runId));
              if (after && after.state !== "cancelled")
                mismatches.push(`cancelled run is ${after.state}`);
              break;
            }
            case "abortedCall": {
              // Aborted at a random moment: before sending, mid-request or during a backoff.
              const controller = new AbortController();
              const timer = setTimeout(() => controller.abort(), rng.int(0, 3));
              const signal = controller.signal;
              const paths = [...target.files.keys()];
              const path = paths.length > 0 ? rng.pick(paths) : "/etc/hostname";
              await probe(null, () => target.vm.readFile(path, { signal }));
              await probe(null, () => target.vm.get({ signal }));
              await probe(null, () => target.vm.listRuns({ signal, limit: 5 }));
              // A source that stalls forever: only the abort can end this write.
              const stalled = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}) });
              await probe("aborted", () =>
                target.vm.writeFile(`/data/stalled-${op}`, stalled, { signal }),
              );
              clearTimeout(timer);
              break;
            }
            case "readMissing": {
              await probe("not_found", () => target.vm.sync(`/data/missing-${op}.bin`));
              break;
            }
            case "probeWithoutRetry": {
              await probe(null, () => once.vm(target.vm.id).get());
              break;
            }
            case "delete": {
              const victim = pool.splice(pool.indexOf(target), 1)[0]!;
              const done = await call(async () => {
                await victim.vm.delete();
                return true;
              });
              if (done) deleted.add(victim.name);
              else pool.push(victim);
              break;
            }
          }
        }
        survivors.push(...pool);
      };
      const survivors: TrackedVm[] = [];
      await Promise.all(Array.from({ length: WORKERS }, (_, index) => worker(index)));

      fake.faults.clear();
      tally.stop();

      // Server-side truth: which VMs exist, with which mounts and files.
      const vms = fake.vms.filter(
        (vm) => vm.name?.startsWith("chaos-") && vm.name !== "chaos-base",
      );
      const aliveNames = vms.map((vm) => vm.name ?? "");
      const expectedAlive = [...forksReturned].filter((name) => !deleted.has(name));
      const vmDuplicates = aliveNames.length - new Set(aliveNames).size;
      const createdOnServer = aliveNames.length + deleted.size;
      let runDuplicates = 0;
      let runsLost = 0;
      for (const command of runCommands) {
        const count = executions.get(command) ?? 0;
        if (count > 1) runDuplicates += count - 1;
        if (count === 0) runsLost++;
      }
      let mountDuplicates = 0;
      let sessionDuplicates = 0;
      let sessionsLost = 0;
      let mountsLost = 0;
      let mountsNotRemoved = 0;
      let filesChecked = 0;
      let bytesChecked = 0;
      for (const tracked of survivors) {
        const snapshot = vms.find((vm) => vm.vm_id === tracked.vm.id);
        const paths = snapshot?.syncs.map((sync) => sync.path) ?? [];
        mountDuplicates += paths.length - new Set(paths).size;
        mountsLost += tracked.mounts.filter(({ path }) => !paths.includes(path)).length;
        mountsNotRemoved += tracked.unmounted.filter((path) => paths.includes(path)).length;
        const serverSessions = (snapshot?.sessions ?? []).map((session) => session.session_id);
        const created = serverSessions.filter((id) => !tracked.sessionsAtFork.has(id));
        const defaults = (snapshot?.sessions ?? []).filter(
          (session) => session.session_idx === 0 && !tracked.sessionsAtFork.has(session.session_id),
        ).length;
        // Every session the VM has beyond those it was forked with (and its default one,
        // made on a first run) is one the SDK created and got back: no duplicates.
        sessionDuplicates += created.length - defaults - tracked.sessions.length;
        sessionsLost += tracked.sessions.filter((id) => !serverSessions.includes(id)).length;
        const view = fake.files(tracked.vm.id);
        for (const [path, expected] of tracked.files) {
          const stored = view.read(path);
          filesChecked++;
          bytesChecked += expected.size;
          if (stored === undefined || sha256(stored) !== expected.sha) {
            figures.bytesLost += expected.size;
            mismatches.push(`stored ${tracked.name}:${path}`);
          }
        }
      }

      const filesystemNames = fake.filesystems
        .map((filesystem) => filesystem.name)
        .filter((name) => name.startsWith("chaos-fs-"));
      const filesystemDuplicates = filesystemNames.length - new Set(filesystemNames).size;
      await ar.close();
      await once.close();
      await fake.close();
      unhandled.stop();
      const leaked = await leakedSince(baseline);

      const duplicates =
        vmDuplicates + runDuplicates + mountDuplicates + sessionDuplicates + filesystemDuplicates;
      figures.requests += tally.requests;
      for (const [kind, count] of Object.entries(tally.faults)) bump(figures.faults, kind, count);
      figures.retries += trace.retries;
      figures.duplicates += duplicates;
      figures.leaks += Object.values(leaked).reduce((a, b) => a + b, 0) + unhandled.reasons.length;
      const notes: Record<string, string | number> = {
        "operations by kind": Object.entries(byOperation)
          .map(([kind, count]) => `${kind} ${count}`)
          .join(", "),
        "retries by cause": Object.entries(trace.retriesByCode)
          .map(([code, count]) => `${code} ${count}`)
          .join(", "),
        "VMs created on the server / fork calls that returned": `${createdOnServer} / ${forksReturned.size}`,
        "runs executed / run calls": `${[...executions.values()].reduce((a, b) => a + b, 0)} / ${runCommands.length}`,
        "files verified byte-identical (sha256)": `${filesChecked} files, ${bytesChecked} bytes`,
        "write data forms": Object.entries(forms)
          .map(([form, count]) => `${form} ${count}`)
          .join(", "),
        "failed operations": Object.keys(failures).length === 0 ? "none" : JSON.stringify(failures),
        "expected failures (missing files; a client without retries), all well-formed":
          Object.entries(expectedFailures)
            .map(([code, count]) => `${code} ${count}`)
            .join(", "),
        "unhandled rejections": unhandled.reasons.length,
        "leaked sockets, servers and timers after close()": JSON.stringify(leaked),
        "5xx not caused by a fault rule": tally.unexpected5xx,
      };
      for (const [name, value] of Object.entries(notes))
        figures.notes[`${door} door: ${name}`] = value;

      expect(defects).toEqual([]);
      expect(failures).toEqual({});
      expect(mismatches).toEqual([]);
      expect(vmDuplicates).toBe(0);
      expect(aliveNames.sort()).toEqual(expectedAlive.sort());
      expect(createdOnServer).toBe(forksReturned.size);
      expect(runDuplicates).toBe(0);
      expect(runsLost).toBe(0);
      expect(mountDuplicates).toBe(0);
      expect(mountsLost).toBe(0);
      expect(mountsNotRemoved).toBe(0);
      expect(filesystemNames.sort()).toEqual(
        [...filesystemsCreated].filter((name) => !filesystemsDeleted.has(name)).sort(),
      );
      expect(sessionDuplicates).toBe(0);
      expect(sessionsLost).toBe(0);
      expect(figures.bytesLost).toBe(0);
      expect(unhandled.reasons).toEqual([]);
      expect(leaked).toEqual({});
      expect(tally.unexpected5xx).toBe(0);
      // The run really was chaotic: every kind of fault fired and the SDK retried.
      for (const kind of ["503", "429", "latency", "reset-before", "reset-after"]) {
        expect(tally.faults[kind] ?? 0, `faults of kind ${kind}`).toBeGreaterThan(0);
      }
      expect(trace.retries).toBeGreaterThan(0);
      // Failures were seen and checked: a missing file, and transient ones without retries.
      expect(Object.keys(expectedFailures).some((key) => key.startsWith("not_found"))).toBe(true);
      expect(Object.keys(expectedFailures).some((key) => key.endsWith("(retryable true)"))).toBe(
        true,
      );
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
      ["POST", "/v1/vms/*/sync"],
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
