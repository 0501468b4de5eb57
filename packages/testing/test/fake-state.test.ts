// Proves FakeState's own operations without HTTP: goldens, fork, delete, resize, host failure, sessions, mounts, reset.
import { ARKER_ORG_ID } from "@arker-ai/core/contract";
import { describe, expect, it, vi } from "vitest";
import { type FakeState, HOME_DIRECTORY } from "../src/engine/fake-state.js";
import { directoryNode } from "../src/files/cow-tree.js";
import type { UploadRecord, VmRecord } from "../src/stores/records.js";
import { ApiError } from "../src/support/errors.js";
import { IdFactory } from "../src/support/ids.js";
import { SeededRandom } from "../src/support/random.js";
import type { Terminal } from "../src/terminal/terminal.js";
import { bench, UBUNTU_FORK } from "./runner-unit.js";

const FORK = UBUNTU_FORK;

function golden(state: FakeState, name: string): VmRecord {
  const vm = state.vms.all().find((candidate) => candidate.name === name);
  if (vm === undefined) throw new Error(`no golden ${name}`);
  return vm;
}

function apiError(action: () => unknown): ApiError {
  try {
    action();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("expected an ApiError");
}

/** A stand-in terminal that records the exit code it was ended with. */
function fakeTerminal(state: FakeState, vmId: string, sessionId: string, shell: boolean) {
  const end = vi.fn();
  state.terminals.add({ vmId, sessionId }, { end, ended: false } as unknown as Terminal, shell);
  return end;
}

/** Starts a background run that stays in flight on the manual clock. */
async function inFlight(b: ReturnType<typeof bench>, vm = b.vm) {
  const session = b.state.sessionFor(vm, undefined, undefined);
  await b.state.runner.start(vm, session, {
    command: "sleep 100",
    background: true,
    timeoutMs: 0,
    env: undefined,
    cwd: undefined,
  });
  const [run] = b.state.runs.list(vm);
  if (run === undefined) throw new Error("no run");
  return run;
}

describe("FakeState: goldens and the default org", () => {
  it("creates each golden public in Arker's org, with its size, disk and one session at home", () => {
    const { state } = bench();
    const full32 = golden(state, "ubuntu-full-32");
    expect([full32.vcpuCount, full32.memoryMib, full32.diskMib, full32.disk]).toEqual([
      32,
      65536,
      10240,
      true,
    ]);
    const nodisk = golden(state, "ubuntu-nodisk");
    expect([nodisk.vcpuCount, nodisk.memoryMib, nodisk.diskMib, nodisk.disk]).toEqual([
      2,
      4096,
      0,
      false,
    ]);
    const ubuntu = golden(state, "ubuntu");
    expect(ubuntu).toMatchObject({
      ownerOrgId: ARKER_ORG_ID,
      public: true,
      rootSourceVmId: null,
      rootSourceVmName: null,
      vcpuCount: 2,
      memoryMib: 4096,
      diskMib: 10240,
      disk: true,
      durable: false,
    });
    expect(state.sessions.list(ubuntu).map((session) => [session.idx, session.cwd])).toEqual([
      [0, HOME_DIRECTORY],
    ]);
    expect(HOME_DIRECTORY).toBe("/home/user");
    expect(state.filesystemOf(ubuntu).readBytes("/etc/hostname")).toEqual(
      new TextEncoder().encode("ubuntu\n"),
    );
  });

  it("gives the default org its API key", () => {
    const { state } = bench({ orgId: "org_mine", apiKey: "ak_test_key" });
    expect(state.defaultApiKey).toBe("ak_test_key");
    expect(state.orgs.authenticate("Bearer ak_test_key")).toBe("org_mine");
  });
});

describe("FakeState: placement", () => {
  it("places goldens and forks in the options' region and provider", () => {
    const { state, vm } = bench({ region: "eu-central-1", provider: "gcp" });
    const places = [golden(state, "ubuntu"), vm].map((record) => [record.region, record.provider]);
    expect(places).toEqual([
      ["eu-central-1", "gcp"],
      ["eu-central-1", "gcp"],
    ]);
  });
});

describe("FakeState: idempotency keys", () => {
  it("keep an answer on the fake clock: replayed within a day, handled again after it", async () => {
    const { state } = bench();
    let handled = 0;
    const call = () =>
      state.idempotency.run(
        "org",
        "route",
        "key-1",
        "/p",
        "{}",
        () => {
          handled++;
          return { status: 200, headers: {}, body: new Uint8Array(0) };
        },
        () => undefined,
      );
    await call();
    await call();
    expect(handled).toBe(1);
    await state.clock.advance(24 * 60 * 60 * 1000);
    await call();
    expect(handled).toBe(2);
  });
});

describe("FakeState: the seed's streams", () => {
  it("draws its ids from the seed's `ids` stream", () => {
    const { state } = bench({ seed: 5 });
    const twin = new IdFactory(new SeededRandom(5, "ids"), () => state.clock.now());
    state.ids.reset();
    expect([state.ids.next("vm"), state.ids.next("run")]).toEqual([
      twin.next("vm"),
      twin.next("run"),
    ]);
  });

  it("rolls fault probabilities on the seed's `faults` stream", () => {
    const { state } = bench({ seed: 5 });
    const draws = new SeededRandom(5, "faults");
    state.faults.add({ probability: 0.5, effect: { type: "latency", ms: 1 } });
    const fired = Array.from({ length: 32 }, () => state.faults.match("GET", "/v1/vms").length);
    expect(fired).toEqual(Array.from({ length: 32 }, () => (draws.next() < 0.5 ? 1 : 0)));
  });
});

describe("FakeState.fork", () => {
  it("forks by id, keeping the root of the source and the requested size", () => {
    const { state, vm } = bench();
    const child = state.fork(state.options.orgId, {
      ...FORK,
      sourceVmId: vm.id,
      sourceVmName: undefined,
      name: "child",
      public: true,
      disk: false,
      vcpuCount: 4,
      memoryMib: 8192,
      diskMib: 20480,
    });
    const ubuntu = golden(state, "ubuntu");
    expect(child).toMatchObject({
      ownerOrgId: state.options.orgId,
      name: "child",
      public: true,
      disk: false,
      durable: false,
      rootSourceVmId: ubuntu.id,
      rootSourceVmName: "ubuntu",
      vcpuCount: 4,
      memoryMib: 8192,
      diskMib: 20480,
    });
    expect(vm).toMatchObject({ rootSourceVmId: ubuntu.id, rootSourceVmName: "ubuntu" });
    expect(state.sessions.list(child).map((session) => session.cwd)).toEqual([HOME_DIRECTORY]);
  });

  it("copies the source's files, and a change to the child leaves the source as it was", () => {
    const { state, vm } = bench();
    const files = state.filesystemOf(vm);
    files.ensureDirectory("/tmp/marker");
    const child = state.fork(state.options.orgId, { ...FORK, sourceVmId: vm.id });
    expect(state.filesystemOf(child).kindOf("/tmp/marker")).toBe("directory");
    state.filesystemOf(child).ensureDirectory("/tmp/only-child");
    expect(files.kindOf("/tmp/only-child")).toBeUndefined();
  });

  it("keeps the source's size when none is asked for", () => {
    const { state } = bench();
    const child = state.fork(state.options.orgId, { ...FORK, sourceVmName: "ubuntu-full-32" });
    expect([child.vcpuCount, child.memoryMib, child.diskMib]).toEqual([32, 65536, 10240]);
  });

  it("takes the org's own newest VM of a bare name before a golden of that name", () => {
    const { state } = bench();
    const org = state.options.orgId;
    const older = state.fork(org, { ...FORK, name: "ubuntu" });
    state.filesystemOf(older).ensureDirectory("/tmp/older");
    const newer = state.fork(org, {
      ...FORK,
      sourceVmId: golden(state, "ubuntu").id,
      sourceVmName: undefined,
      name: "ubuntu",
    });
    state.filesystemOf(newer).ensureDirectory("/tmp/newer");
    const child = state.fork(org, FORK);
    expect(state.filesystemOf(child).kindOf("/tmp/newer")).toBe("directory");
    expect(state.filesystemOf(child).kindOf("/tmp/older")).toBeUndefined();
  });

  it("forks a named VM of another org only when that org is named and the VM is public", () => {
    const { state } = bench();
    const other = state.orgs.addOrg("other").orgId;
    const shared = state.fork(other, { ...FORK, name: "shared", public: true });
    state.fork(other, { ...FORK, name: "hidden" });
    const mine = state.options.orgId;
    const child = state.fork(mine, { ...FORK, sourceVmName: "shared", sourceOrgId: other });
    expect(child.rootSourceVmId).toBe(shared.rootSourceVmId);
    expect(apiError(() => state.fork(mine, { ...FORK, sourceVmName: "shared" }))).toMatchObject({
      code: "not_found",
      message: `vm not found: ${mine}/shared`,
    });
    expect(
      apiError(() => state.fork(mine, { ...FORK, sourceVmName: "hidden", sourceOrgId: other })),
    ).toMatchObject({ code: "not_found", message: `vm not found: ${other}/hidden` });
  });

  it("does not fall back to the goldens when the source org is named", () => {
    const { state } = bench();
    const other = state.orgs.addOrg("other").orgId;
    expect(
      apiError(() => state.fork(state.options.orgId, { ...FORK, sourceOrgId: other })),
    ).toMatchObject({ code: "not_found", message: `vm not found: ${other}/ubuntu` });
    expect(
      apiError(() => state.fork(state.options.orgId, { ...FORK, sourceVmName: undefined })),
    ).toMatchObject({ code: "not_found", message: `vm not found: ${state.options.orgId}/` });
  });

  it("a fork of a fork keeps the first source's id and name as its root", () => {
    const { state, vm } = bench();
    const named = state.fork(state.options.orgId, { ...FORK, sourceVmId: vm.id, name: "mid" });
    const leaf = state.fork(state.options.orgId, { ...FORK, sourceVmId: named.id });
    const ubuntu = golden(state, "ubuntu");
    expect([leaf.rootSourceVmId, leaf.rootSourceVmName]).toEqual([ubuntu.id, "ubuntu"]);
  });

  it("refuses a failed source, and a durable fork when durability is off", () => {
    const on = bench();
    on.state.failHost(on.vm.id);
    expect(
      apiError(() => on.state.fork(on.state.options.orgId, { ...FORK, sourceVmId: on.vm.id })),
    ).toMatchObject({ code: "conflict" });
    expect(on.state.fork(on.state.options.orgId, { ...FORK, durable: true }).durable).toBe(true);
    const off = bench({ durability: false });
    expect(
      apiError(() => off.state.fork(off.state.options.orgId, { ...FORK, durable: true })),
    ).toMatchObject({
      code: "unsupported_operation",
      message: "durable VMs are not supported by this backend",
    });
    expect(off.state.fork(off.state.options.orgId, FORK).durable).toBe(false);
  });

  it("checks the size on fork, and lets the disk shrink there", () => {
    const { state } = bench();
    expect(
      apiError(() => state.fork(state.options.orgId, { ...FORK, vcpuCount: 0 })),
    ).toMatchObject({ code: "bad_request" });
    expect(state.fork(state.options.orgId, { ...FORK, diskMib: 1 }).diskMib).toBe(1);
  });
});

describe("FakeState: deleting, resizing, failing a VM", () => {
  it("deleteVm cancels its runs and drops its mounts, tunnels, handlers, files, sessions and terminals", async () => {
    const b = bench();
    const { state, vm } = b;
    const keep = state.fork(state.options.orgId, FORK);
    const run = await inFlight(b);
    const keptRun = await inFlight(b, keep);
    const filesystem = state.filesystems.create(state.options.orgId, "data");
    state.mount(vm, filesystem, "/mnt/data");
    state.tunnels.open({ vmId: vm.id, port: 8080, visibility: "public", protocol: "http" });
    state.tunnelServers.serve(vm.id, 8080, () => new Response("x"));
    state.tunnelServers.serve(keep.id, 8080, () => new Response("y"));
    const session = state.sessionFor(vm, undefined, undefined);
    const ended = fakeTerminal(state, vm.id, session.id, true);
    const keptSession = state.sessionFor(keep, undefined, undefined);
    const kept = fakeTerminal(state, keep.id, keptSession.id, false);
    state.deleteVm(vm);
    expect(run.state).toBe("cancelled");
    expect(keptRun.state).not.toBe("cancelled");
    expect(state.vms.get(vm.id)).toBeUndefined();
    expect(state.mounts.list(vm)).toEqual([]);
    expect(state.mounts.isMounted(filesystem)).toBe(false);
    expect(state.filesystems.all()).toContain(filesystem);
    expect(state.tunnels.list(vm)).toEqual([]);
    expect(state.tunnelServers.handlerOf(vm.id, 8080)).toBeUndefined();
    expect(state.tunnelServers.handlerOf(keep.id, 8080)).toBeDefined();
    expect(state.sessions.list(vm)).toEqual([]);
    expect(state.runs.list(vm)).toEqual([]);
    expect(ended).toHaveBeenCalledWith(137);
    expect(kept).not.toHaveBeenCalled();
  });

  it("deleteVm drops the VM's unfinished uploads", () => {
    const { state, vm } = bench();
    state.files.addUpload(vm, { uploadId: "up_1", written: false } as UploadRecord);
    state.deleteVm(vm);
    expect(state.files.upload(vm.id, "up_1")).toBeUndefined();
  });

  it("resize checks the size and lets the disk only grow", () => {
    const { state, vm } = bench();
    state.resize(vm, { vcpuCount: 8, memoryMib: undefined, diskMib: 20480 });
    expect([vm.vcpuCount, vm.memoryMib, vm.diskMib]).toEqual([8, 4096, 20480]);
    expect(
      apiError(() => state.resize(vm, { vcpuCount: undefined, memoryMib: undefined, diskMib: 1 })),
    ).toMatchObject({ code: "bad_request", message: "disk_mib can only grow (current 20480)" });
  });

  it("failHost of a non-durable VM fails its runs and the VM; of a durable one counts a retry", async () => {
    const b = bench();
    const { state } = b;
    const plain = await inFlight(b);
    expect(state.vmState(b.vm)).toBe("running");
    state.failHost(b.vm.id);
    expect(b.vm.failed).toBe(true);
    expect(plain).toMatchObject({ state: "failed", failReason: "host_failed" });
    expect(state.vmState(b.vm)).toBe("failed");

    const durable = state.fork(state.options.orgId, { ...FORK, durable: true });
    const run = await inFlight(b, durable);
    state.failHost(durable.id);
    expect(durable.failed).toBe(false);
    expect(run.state).toBe("running");
    expect(run.retryCount).toBe(1);
    expect(state.vmState(durable)).toBe("running");
    expect(() => state.failHost("vm_nope")).toThrow("failHost: no VM vm_nope");
  });

  it("vmState is idle without a run in flight, and vmView carries it and the sessions by index", () => {
    const { state, vm } = bench();
    state.sessions.create(vm, {}, "/tmp");
    expect(state.vmState(vm)).toBe("idle");
    const view = state.vmView(vm);
    expect(view.state).toBe("idle");
    expect(view.sessions.map((session) => [session.session_idx, session.state])).toEqual([
      [0, "idle"],
      [1, "idle"],
    ]);
  });

  it("sessionView is running while one of the session's runs is in flight", async () => {
    const b = bench();
    await inFlight(b);
    expect(b.state.sessionView(b.session).state).toBe("running");
    expect(b.state.vmView(b.vm).sessions[0]?.state).toBe("running");
  });
});

describe("FakeState: sessions", () => {
  it("finds a session by id, by index, or the default; refuses an id and index that disagree", () => {
    const { state, vm, session } = bench();
    const second = state.sessions.create(vm, {}, "/tmp");
    expect(state.sessionFor(vm, second.id, undefined)).toBe(second);
    expect(state.sessionFor(vm, second.id, second.idx)).toBe(second);
    expect(state.sessionFor(vm, undefined, second.idx)).toBe(second);
    expect(state.sessionFor(vm, undefined, undefined)).toBe(session);
    expect(apiError(() => state.sessionFor(vm, second.id, 0))).toMatchObject({
      code: "bad_request",
      message: "session_id and session_idx name different sessions",
    });
    expect(apiError(() => state.sessionFor(vm, undefined, 7))).toMatchObject({
      code: "not_found",
      message: "session not found: index 7",
    });
  });

  it("recreates the default session at index 0 after it was deleted; no other index", () => {
    const { state, vm, session } = bench();
    const second = state.sessions.create(vm, {}, "/tmp");
    state.deleteSession(session);
    const fresh = state.sessionFor(vm, undefined, 0);
    expect(fresh).not.toBe(session);
    expect([fresh.idx, fresh.cwd]).toEqual([0, HOME_DIRECTORY]);
    state.deleteSession(second);
    expect(apiError(() => state.sessionFor(vm, undefined, second.idx))).toMatchObject({
      code: "not_found",
    });
  });

  it("deleteSession cancels its runs and ends only its terminals", async () => {
    const b = bench();
    const { state, vm, session } = b;
    const run = await inFlight(b);
    const other = state.sessions.create(vm, {}, "/tmp");
    const ended = fakeTerminal(state, vm.id, session.id, true);
    const kept = fakeTerminal(state, vm.id, other.id, true);
    state.deleteSession(session);
    expect(run.state).toBe("cancelled");
    expect(state.sessions.list(vm)).toEqual([other]);
    expect(ended).toHaveBeenCalledWith(137);
    expect(kept).not.toHaveBeenCalled();
  });
});

describe("FakeState: filesystems and mounts", () => {
  it("mounts into an empty or missing directory, and refuses /, an overlap or a file", () => {
    const { state, vm } = bench();
    const org = state.options.orgId;
    const data = state.filesystems.create(org, "data");
    const mount = state.mount(vm, data, "/mnt/new/data");
    expect(mount).toMatchObject({ vmId: vm.id, filesystemId: data.id, path: "/mnt/new/data" });
    expect(state.filesystemOf(vm).kindOf("/mnt/new/data")).toBe("directory");
    expect(state.mount(vm, data, "/tmp").path).toBe("/tmp");
    expect(apiError(() => state.mount(vm, data, "/"))).toMatchObject({
      code: "bad_request",
      message: "cannot mount over /",
    });
    expect(apiError(() => state.mount(vm, data, "/mnt/new/data/inner"))).toMatchObject({
      code: "conflict",
      message: `mount path /mnt/new/data/inner overlaps sync ${mount.id} at /mnt/new/data`,
    });
    expect(apiError(() => state.mount(vm, data, "/etc/hostname"))).toMatchObject({
      code: "conflict",
      message: "/etc/hostname exists and is not a directory",
    });
  });

  it("makes the mount point and its parents directories of the VM's own tree, stamped with fake time; they stay after the unmount", async () => {
    const { state, vm } = bench();
    const data = state.filesystems.create(state.options.orgId, "data");
    const files = state.filesystemOf(vm);
    await state.clock.advance(5000);
    const mount = state.mount(vm, data, "/mnt/new/data");
    expect(files.list("/mnt/new")).toEqual(["data"]);
    expect((await files.stat("/mnt/new")).mtime.getTime()).toBe(state.clock.now());
    state.mounts.remove(mount);
    expect(files.kindOf("/mnt/new/data")).toBe("directory");
    expect(files.list("/mnt/new/data")).toEqual([]);
  });

  it("refuses to delete a mounted filesystem; deletes it once unmounted", () => {
    const { state, vm } = bench();
    const data = state.filesystems.create(state.options.orgId, "data");
    const mount = state.mount(vm, data, "/mnt/data");
    expect(apiError(() => state.deleteFilesystem(data))).toMatchObject({
      code: "conflict",
      message: `filesystem ${data.id} is mounted; delete its syncs first`,
    });
    expect(state.filesystems.all()).toContain(data);
    state.mounts.remove(mount);
    state.deleteFilesystem(data);
    expect(state.filesystems.all()).not.toContain(data);
  });

  it("the VM's filesystem is one view, and shows a mount's files", () => {
    const { state, vm } = bench();
    const data = state.filesystems.create(state.options.orgId, "data");
    expect(state.filesystemOf(vm)).toBe(state.filesystemOf(vm));
    const files = state.filesystemOf(vm);
    state.mount(vm, data, "/mnt/data");
    data.tree.set(["inside"], directoryNode(0), true, 0);
    expect(files.kindOf("/mnt/data/inside")).toBe("directory");
    expect(files.kindOf("/inside")).toBeUndefined();
  });
});

describe("FakeState: reset and shutdown", () => {
  it("reset cancels runs, ends terminals, clears every store and starts over with the same seed", async () => {
    const b = bench({ apiKey: "ak_test_key" });
    const { state, vm } = b;
    const goldenIds = state.vms
      .all()
      .filter((candidate) => candidate.ownerOrgId === ARKER_ORG_ID)
      .map((candidate) => candidate.id);
    const run = await inFlight(b);
    const ended = fakeTerminal(state, vm.id, b.session.id, false);
    const data = state.filesystems.create(state.options.orgId, "data");
    state.mount(vm, data, "/mnt/data");
    state.tunnels.open({ vmId: vm.id, port: 8080, visibility: "public", protocol: "http" });
    state.tunnelServers.serve(vm.id, 8080, () => new Response("x"));
    state.stubs.on("x", () => ({}));
    const other = state.orgs.addOrg("other");
    await state.clock.advance(1000);
    state.reset();
    expect(run.state).toBe("cancelled");
    expect(ended).toHaveBeenCalledWith(137);
    expect(state.clock.now()).toBe(state.options.startTime);
    expect(state.stubs.empty).toBe(true);
    expect(state.vms.all().map((candidate) => candidate.id)).toEqual(goldenIds);
    expect(state.vms.get(vm.id)).toBeUndefined();
    expect(state.filesystems.all()).toEqual([]);
    expect(state.tunnelServers.handlerOf(vm.id, 8080)).toBeUndefined();
    expect(state.tunnels.get(vm.id, 8080)).toBeUndefined();
    expect(state.runs.list(vm)).toEqual([]);
    expect(() => state.orgs.authenticate(`Bearer ${other.apiKey}`)).toThrow();
    expect(state.orgs.authenticate("Bearer ak_test_key")).toBe(state.options.orgId);
    // The same seed: the next fork gets the id the first one got.
    const again = state.fork(state.options.orgId, FORK);
    expect(again.id).toBe(vm.id);
  });

  it("shutdown cancels runs, ends terminals and clears the clock's timers", async () => {
    const b = bench();
    const run = await inFlight(b);
    const ended = fakeTerminal(b.state, b.vm.id, b.session.id, true);
    let fired = false;
    b.state.clock.schedule(b.state.clock.now() + 10, () => {
      fired = true;
      return undefined;
    });
    b.state.shutdown();
    expect(run.state).toBe("cancelled");
    expect(ended).toHaveBeenCalledWith(137);
    await b.state.clock.advance(1000);
    expect(fired).toBe(false);
  });
});
