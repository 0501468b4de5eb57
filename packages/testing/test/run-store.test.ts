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

describe("RunStore lookups by id (indexed on first need)", () => {
  it("finds runs added before and after an earlier lookup, per VM, and lists them in start order", () => {
    const store = new RunStore();
    const [a, b, c] = [run("run_a", "vm_1"), run("run_b", "vm_1"), run("run_c", "vm_1")];
    const other = run("run_o", "vm_2");
    store.add(a);
    store.add(other);
    expect(store.find(vm("vm_1"), "run_a")).toBe(a);
    store.add(b);
    store.add(c);
    expect(store.find(vm("vm_1"), "run_c")).toBe(c);
    expect(store.find(vm("vm_1"), "run_b")).toBe(b);
    expect(store.find(vm("vm_1"), "run_a")).toBe(a);
    expect(() => store.find(vm("vm_1"), "run_o")).toThrow("run not found: run_o");
    expect(store.find(vm("vm_2"), "run_o")).toBe(other);
    expect(store.list(vm("vm_1"))).toEqual([a, b, c]);
  });

  it("list hands out a copy: changing it changes nothing in the store", () => {
    const store = new RunStore();
    const a = run("run_a", "vm_1");
    store.add(a);
    store.list(vm("vm_1")).pop();
    expect(store.list(vm("vm_1"))).toEqual([a]);
  });

  it("forgets a removed VM's index too: its old run ids are unknown to a VM reusing the id", () => {
    const store = new RunStore();
    store.add(run("run_old", "vm_1"));
    expect(store.find(vm("vm_1"), "run_old").id).toBe("run_old");
    store.removeVm(vm("vm_1"));
    store.add(run("run_new", "vm_1"));
    expect(() => store.find(vm("vm_1"), "run_old")).toThrow("run not found: run_old");
    expect(store.find(vm("vm_1"), "run_new").id).toBe("run_new");
  });
});
