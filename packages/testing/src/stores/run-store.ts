import { notFound } from "../support/errors.js";
import type { RunRecord, VmRecord } from "./records.js";

/**
 * The runs of every VM and which of them are still in flight. The runner adds and
 * settles runs here; it executes them (`engine/runner.ts`).
 *
 * @module
 */

/** The runs of one fake, by VM. */
export class RunStore {
  readonly #byVm = new Map<string, Map<string, RunRecord>>();
  readonly #active = new Map<string, Set<RunRecord>>();

  /** Keeps a new run, in flight. */
  add(run: RunRecord): void {
    let runs = this.#byVm.get(run.vmId);
    if (runs === undefined) {
      runs = new Map();
      this.#byVm.set(run.vmId, runs);
    }
    runs.set(run.id, run);
    let active = this.#active.get(run.vmId);
    if (active === undefined) {
      active = new Set();
      this.#active.set(run.vmId, active);
    }
    active.add(run);
  }

  /** Marks a run as no longer in flight. */
  settle(run: RunRecord): void {
    this.#active.get(run.vmId)?.delete(run);
  }

  /** A run of the VM by id; else 404. */
  find(vm: VmRecord, runId: string): RunRecord {
    const run = this.#byVm.get(vm.id)?.get(runId);
    if (run === undefined) throw notFound(`run not found: ${runId}`);
    return run;
  }

  /** The VM's runs, oldest first. */
  list(vm: VmRecord): RunRecord[] {
    return [...(this.#byVm.get(vm.id)?.values() ?? [])];
  }

  /** The VM's runs in flight, oldest first (a copy: settling does not disturb it). */
  active(vm: VmRecord): RunRecord[] {
    return [...(this.#active.get(vm.id) ?? [])];
  }

  /** Whether a run of the VM is in flight. */
  isBusy(vm: VmRecord): boolean {
    return (this.#active.get(vm.id)?.size ?? 0) > 0;
  }

  /** Counts one more host restart for every run of the VM in flight (durable VMs). */
  countRetry(vm: VmRecord): void {
    for (const run of this.#active.get(vm.id) ?? []) run.retryCount++;
  }

  /** Forgets every run of a deleted VM. */
  removeVm(vm: VmRecord): void {
    this.#byVm.delete(vm.id);
    this.#active.delete(vm.id);
  }

  /** Forgets every run. */
  clear(): void {
    this.#byVm.clear();
    this.#active.clear();
  }
}
