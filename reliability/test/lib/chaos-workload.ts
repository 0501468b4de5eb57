import { INLINE_FILE_LIMIT_BYTES } from "@arker-ai/core";
import type { Arker, Vm } from "@arker-ai/sdk";
import { type ChaosLedger, type TrackedVm, trackVm } from "./chaos-ledger";
import { inForm, pickForm } from "./data-forms";
import { bump } from "./figures";
import { patternBytes, Rng, sha256 } from "./random";

/** How often each operation is picked. */
export const OPERATION_WEIGHTS = {
  fork: 12,
  runForeground: 18,
  runBackground: 10,
  write: 20,
  read: 15,
  mount: 8,
  unmount: 3,
  resize: 7,
  delete: 10,
  session: 5,
  filesystem: 3,
  cancel: 4,
  abortedCall: 4,
  readMissing: 3,
  probeWithoutRetry: 5,
} as const;

/** One kind of chaos operation. */
export type Operation = keyof typeof OPERATION_WEIGHTS;

/** Most VMs one worker keeps at a time (forks beyond it become deletes). */
const POOL_LIMIT = 6;
const MAX_WRITE_BYTES = 8 * 1024 * 1024;

/** What the workload drives. */
export interface ChaosContext {
  /** The client under test (fast retries). */
  ar: Arker;
  /** A client that never retries, for probes. */
  once: Arker;
  /** The VM every worker forks its first VM from. */
  base: Vm;
  /** A filesystem to mount. */
  filesystemId: string;
  /** Seeds the choice of each operation. */
  seed: number;
  ledger: ChaosLedger;
}

/** A write size: empty, small, inline-sized, at the boundaries, or up to 8 MiB. */
function writeSize(rng: Rng): number {
  const band = rng.weighted({ empty: 1, small: 10, inline: 4, boundary: 1, large: 2 });
  if (band === "empty") return 0;
  if (band === "small") return rng.int(1, 64 * 1024);
  if (band === "inline") return rng.int(64 * 1024, INLINE_FILE_LIMIT_BYTES);
  if (band === "boundary")
    return rng.pick([INLINE_FILE_LIMIT_BYTES, INLINE_FILE_LIMIT_BYTES + 1, MAX_WRITE_BYTES]);
  return rng.int(INLINE_FILE_LIMIT_BYTES + 1, MAX_WRITE_BYTES);
}

/**
 * Runs `operations` seeded operations from `workers` concurrent workers, each on its own
 * pool of VMs, recording in the ledger what the client asked and got.
 */
export async function driveChaos(
  context: ChaosContext,
  operations: number,
  workers: number,
): Promise<void> {
  let next = 0;
  const worker = async (index: number): Promise<void> => {
    const { ledger } = context;
    const name = `chaos-w${index}`;
    const first = await ledger.call(() => context.base.fork({ name }));
    if (!first) return;
    ledger.forksReturned.add(name);
    const pool: TrackedVm[] = [trackVm(first, name)];
    for (let op = next++; op < operations; op = next++) {
      const rng = new Rng(context.seed ^ (op * 2_654_435_761));
      let kind: Operation = rng.weighted(OPERATION_WEIGHTS);
      if (kind === "fork" && pool.length >= POOL_LIMIT) kind = "delete";
      if (kind === "delete" && pool.length <= 1) kind = "fork";
      bump(ledger.byOperation, kind);
      await OPERATIONS[kind](context, { op, rng, pool, target: rng.pick(pool) });
    }
    ledger.survivors.push(...pool);
  };
  await Promise.all(Array.from({ length: workers }, (_, index) => worker(index)));
}

/** What one operation works on. */
interface Step {
  op: number;
  rng: Rng;
  pool: TrackedVm[];
  target: TrackedVm;
}

type OperationHandler = (context: ChaosContext, step: Step) => Promise<void>;

const OPERATIONS: Record<Operation, OperationHandler> = {
  async fork({ ledger }, { op, pool, target }) {
    const name = `chaos-${op}`;
    const child = await ledger.call(() => target.vm.fork({ name }));
    if (!child) return;
    ledger.forksReturned.add(name);
    pool.push(trackVm(child, name, target.files));
  },

  async runForeground({ ledger }, { op, target }) {
    const command = `mark ${op}`;
    ledger.runCommands.push(command);
    const run = await ledger.call(() => target.vm.run(command));
    if (run && (run.type !== "completed" || run.exitCode !== 0))
      ledger.mismatches.push(`${command}: ${run.type}`);
  },

  async runBackground({ ledger }, { op, target }) {
    const command = `mark ${op} background`;
    ledger.runCommands.push(command);
    const run = await ledger.call(() => target.vm.run(command, { background: true }));
    if (run && run.type !== "background") {
      ledger.mismatches.push(`${command}: answered ${run.type}`);
      return;
    }
    if (!run) return;
    const done = await ledger.call(() => target.vm.waitForRun(run.runId, { pollIntervalMs: 10 }));
    if (done && done.state !== "completed") ledger.mismatches.push(`${command}: ${done.state}`);
  },

  async write({ ledger }, { op, rng, target }) {
    const size = writeSize(rng);
    const bytes = patternBytes(size, op);
    const path = `/data/w${op}.bin`;
    const form = pickForm(rng);
    bump(ledger.forms, form);
    const done = await ledger.call(async () => {
      await target.vm.sync(path, inForm(bytes, form));
      return true;
    });
    if (done) target.files.set(path, { sha: sha256(bytes), size });
  },

  async read({ ledger }, { rng, target }) {
    const paths = [...target.files.keys()];
    if (paths.length === 0) {
      await ledger.call(() => target.vm.get());
      return;
    }
    const path = rng.pick(paths);
    const expected = target.files.get(path)!;
    const bytes = await ledger.call(() => target.vm.sync(path));
    if (bytes && sha256(bytes) !== expected.sha) {
      ledger.bytesLost += expected.size;
      ledger.mismatches.push(`read ${path}: ${bytes.byteLength} bytes, expected ${expected.size}`);
    }
  },

  async mount({ ledger, filesystemId }, { op, target }) {
    const path = `/mnt/m${op}`;
    const sync = await ledger.call(() => target.vm.createSync({ filesystemId, path }));
    if (sync) target.mounts.push({ path, syncId: sync.sync_id });
  },

  async unmount({ ledger }, { rng, target }) {
    const mount = target.mounts.length > 0 ? rng.pick(target.mounts) : undefined;
    if (mount === undefined) {
      await ledger.call(() => target.vm.listSyncs());
      return;
    }
    const done = await ledger.call(async () => {
      await target.vm.deleteSync(mount.syncId);
      return true;
    });
    if (!done) return;
    target.mounts.splice(target.mounts.indexOf(mount), 1);
    target.unmounted.push(mount.path);
  },

  async resize({ ledger }, { rng, target }) {
    const size =
      rng.next() < 0.5 ? { vcpu_count: rng.int(1, 8) } : { memory_mib: 256 * rng.int(1, 32) };
    await ledger.call(() => target.vm.resize(size));
  },

  async delete({ ledger }, { pool, target }) {
    pool.splice(pool.indexOf(target), 1);
    const done = await ledger.call(async () => {
      await target.vm.delete();
      return true;
    });
    if (done) ledger.deleted.add(target.name);
    else pool.push(target);
  },

  async session({ ledger }, { target }) {
    const session = await ledger.call(() => target.vm.createSession({ cwd: "/tmp" }));
    if (session) target.sessions.push(session.session_id);
  },

  async filesystem({ ledger, ar }, { op, rng }) {
    const name = `chaos-fs-${op}`;
    const created = await ledger.call(() => ar.createFilesystem({ name }));
    if (!created) return;
    ledger.filesystemsCreated.add(name);
    if (rng.next() >= 0.5) return;
    const done = await ledger.call(async () => {
      await ar.deleteFilesystem(created.filesystem_id);
      return true;
    });
    if (done) ledger.filesystemsDeleted.add(name);
  },

  async cancel({ ledger }, { target }) {
    // Parks on the fake clock (never advanced here) until cancelled.
    const run = await ledger.call(() => target.vm.run("sleep 1000", { background: true }));
    if (run?.type !== "background") {
      if (run) ledger.mismatches.push(`sleep 1000 answered ${run.type}`);
      return;
    }
    await ledger.call(() => target.vm.cancelRun(run.runId));
    const after = await ledger.call(() => target.vm.getRun(run.runId));
    if (after && after.state !== "cancelled")
      ledger.mismatches.push(`cancelled run is ${after.state}`);
  },

  async abortedCall({ ledger }, { op, rng, target }) {
    // Aborted at a random moment: before sending, mid-request or during a backoff.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), rng.int(0, 3));
    const signal = controller.signal;
    const paths = [...target.files.keys()];
    const path = paths.length > 0 ? rng.pick(paths) : "/etc/hostname";
    await ledger.probe(null, () => target.vm.readFile(path, { signal }));
    await ledger.probe(null, () => target.vm.get({ signal }));
    await ledger.probe(null, () => target.vm.listRuns({ signal, limit: 5 }));
    // A source that stalls forever: only the abort can end this write.
    const stalled = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}) });
    await ledger.probe("aborted", () =>
      target.vm.writeFile(`/data/stalled-${op}`, stalled, { signal }),
    );
    clearTimeout(timer);
  },

  async readMissing({ ledger }, { op, target }) {
    await ledger.probe("not_found", () => target.vm.sync(`/data/missing-${op}.bin`));
  },

  async probeWithoutRetry({ ledger, once }, { target }) {
    await ledger.probe(null, () => once.vm(target.vm.id).get());
  },
};
