import { describe, expect, it } from "vitest";
import type { RunRecord, VmRecord } from "../src/stores/records.js";
import { RunStore } from "../src/stores/run-store.js";

/** Only the fields the store reads. */
const vm = (id: string) => ({ id }) as VmRecord;
const run = (id: string, vmId: string) => ({ id, vmId, inFlight: false }) as RunRecord;

describe("RunStore in-flight accounting", () => {
  it("settling the only run leaves the VM idle and the run out of active()", () => {
    const store = new RunStore();
    const a = run("run_a", "vm_1");
    store.add(a);
    expect(store.isBusy(vm("vm_1"))).toBe(true);
    store.settle(a);
    expect(a.inFlight).toBe(false);
    expect(store.isBusy(vm("vm_1"))).toBe(false);
    expect(store.active(vm("vm_1"))).toEqual([]);
    expect(store.list(vm("vm_1"))).toEqual([a]);
  });

  it("settling a run twice counts once: the other run keeps the VM busy", () => {
    const store = new RunStore();
    const a = run("run_a", "vm_1");
    const b = run("run_b", "vm_1");
    store.add(a);
    store.add(b);
    store.settle(a);
    store.settle(a);
    expect(store.isBusy(vm("vm_1"))).toBe(true);
    expect(store.active(vm("vm_1"))).toEqual([b]);
  });

  it("answers 404 naming an unknown run", () => {
    expect(() => new RunStore().find(vm("vm_1"), "run_x")).toThrow("run not found: run_x");
  });
});

describe("RunStore forgetting runs", () => {
  it("removeVm forgets the VM's runs; a late settle does not idle a VM reusing the id", () => {
    const store = new RunStore();
    const old = run("run_old", "vm_1");
    store.add(old);
    store.removeVm(vm("vm_1"));
    expect(old.inFlight).toBe(false);
    expect(store.list(vm("vm_1"))).toEqual([]);
    const fresh = run("run_new", "vm_1");
    store.add(fresh);
    store.settle(old);
    expect(store.isBusy(vm("vm_1"))).toBe(true);
  });

  it("clear forgets every run; a late settle does not idle a VM reusing the id", () => {
    const store = new RunStore();
    const old = run("run_old", "vm_1");
    store.add(old);
    store.clear();
    expect(old.inFlight).toBe(false);
    expect(store.list(vm("vm_1"))).toEqual([]);
    store.add(run("run_new", "vm_1"));
    store.settle(old);
    expect(store.isBusy(vm("vm_1"))).toBe(true);
  });
});
