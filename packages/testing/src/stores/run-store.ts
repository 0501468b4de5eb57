import { notFound } from "../support/errors.js";
import type { RunRecord, VmRecord } from "./records.js";

/**
 * The runs of every VM and which of them are still in flight. The runner adds and
 * settles runs here; it executes them (`engine/runner.ts`).
 *
 * @module
 */

/**
 * One VM's runs in the order they started, and how many of them are in flight (each
 * run's `inFlight` says which).
 */
interface VmRuns {
  all: RunRecord[];
  /**
   * The runs of `all[0 .. indexed)` by id. A run is indexed when a lookup first needs
   * it, not when it starts: most runs are never fetched by id (their answer carried
   * them), and an insert into a map grown to tens of thousands of runs costs about
   * 1.5 µs (rehashing, cache misses), a large part of a bare `run("true")` on the fake.
   */
  byId: Map<string, RunRecord>;
  indexed: number;
  /** A count, not a set: a set that empties and fills again per run reallocates its table. */
  inFlight: number;
}

/** The runs of one fake, by VM. */
export class RunStore {
  readonly #byVm = new Map<string, VmRuns>();

  /** Keeps a new run, in flight. */
  add(run: RunRecord): void {
    let runs = this.#byVm.get(run.vmId);
    if (runs === undefined) {
      runs = { all: [], byId: new Map(), indexed: 0, inFlight: 0 };
      this.#byVm.set(run.vmId, runs);
    }
    runs.all.push(run);
    run.inFlight = true;
    runs.inFlight++;
  }

  /** Marks a run as no longer in flight. */
  settle(run: RunRecord): void {
    if (!run.inFlight) return;
    run.inFlight = false;
    const runs = this.#byVm.get(run.vmId);
    if (runs !== undefined) runs.inFlight--;
  }

  /** A run of the VM by id; else 404. */
  find(vm: VmRecord, runId: string): RunRecord {
    const runs = this.#byVm.get(vm.id);
    const run = runs === undefined ? undefined : indexOf(runs).get(runId);
    if (run === undefined) throw notFound(`run not found: ${runId}`);
    return run;
  }

  /** The VM's runs, oldest first. */
  list(vm: VmRecord): RunRecord[] {
    return [...(this.#byVm.get(vm.id)?.all ?? [])];
  }

  /** The VM's runs in flight, oldest first (a copy: settling does not disturb it). */
  active(vm: VmRecord): RunRecord[] {
    if (!this.isBusy(vm)) return [];
    return this.list(vm).filter((run) => run.inFlight);
  }

  /** Whether a run of the VM is in flight. */
  isBusy(vm: VmRecord): boolean {
    return (this.#byVm.get(vm.id)?.inFlight ?? 0) > 0;
  }

  /** Counts one more host restart for every run of the VM in flight (durable VMs). */
  countRetry(vm: VmRecord): void {
    for (const run of this.active(vm)) run.retryCount++;
  }

  /** Forgets every run of a deleted VM. */
  removeVm(vm: VmRecord): void {
    // A forgotten run settling later must not count against a VM that reuses the id.
    for (const run of this.#byVm.get(vm.id)?.all ?? []) run.inFlight = false;
    this.#byVm.delete(vm.id);
  }

  /** Forgets every run. */
  clear(): void {
    for (const runs of this.#byVm.values()) for (const run of runs.all) run.inFlight = false;
    this.#byVm.clear();
  }
}

/** The VM's runs by id, with the runs started since the last lookup added. */
function indexOf(runs: VmRuns): Map<string, RunRecord> {
  for (; runs.indexed < runs.all.length; runs.indexed++) {
    const run = runs.all[runs.indexed]!;
    runs.byId.set(run.id, run);
  }
  return runs.byId;
}
