import { describe, expect, it } from "vitest";
import { FileStore } from "../src/stores/file-store.js";
import { FilesystemStore } from "../src/stores/filesystem-store.js";
import { MountStore } from "../src/stores/mount-store.js";
import type { UploadRecord, VmRecord } from "../src/stores/records.js";
import { SessionStore } from "../src/stores/session-store.js";
import type { StoreContext } from "../src/stores/store-context.js";
import { TunnelStore } from "../src/stores/tunnel-store.js";
import { type VmInit, VmStore } from "../src/stores/vm-store.js";
import { EngineClock } from "../src/support/clock.js";
import { IdFactory } from "../src/support/ids.js";
import { SeededRandom } from "../src/support/random.js";
import { Sequence } from "../src/support/sequence.js";

/** Fresh services for one store: fake time, seeded ids, creation order. */
function context(): StoreContext {
  const clock = new EngineClock(1_700_000_000_000);
  return {
    clock,
    ids: new IdFactory(new SeededRandom(1, "ids"), () => clock.now()),
    sequence: new Sequence(),
  };
}

/** Only the fields the stores read. */
const vm = (id: string) => ({ id }) as VmRecord;

describe("FilesystemStore", () => {
  it("answers 404 naming a filesystem of another org", () => {
    const store = new FilesystemStore(context());
    const fs = store.create("org_a", "data");
    expect(() => store.owned("org_b", fs.id)).toThrow(`filesystem not found: ${fs.id}`);
  });

  it("finds the newest filesystem of that org and name only", () => {
    const store = new FilesystemStore(context());
    store.create("org_a", "data");
    const mine = store.create("org_a", "data");
    store.create("org_a", "other");
    store.create("org_b", "data");
    expect(store.newestNamed("org_a", "data")).toBe(mine);
    expect(store.newestNamed("org_a", "missing")).toBeUndefined();
  });

  it("clear forgets every filesystem", () => {
    const store = new FilesystemStore(context());
    store.create("org_a", "data");
    store.clear();
    expect(store.all()).toEqual([]);
  });
});

describe("MountStore", () => {
  it("finds a mount below the asked path as overlapping", () => {
    const ctx = context();
    const mounts = new MountStore(ctx);
    const fs = new FilesystemStore(ctx).create("org_a", "data");
    const mount = mounts.add(vm("vm_1"), fs, "/work/data");
    expect(mounts.overlapping(vm("vm_1"), "/work")).toBe(mount);
    expect(mounts.overlapping(vm("vm_1"), "/data")).toBeUndefined();
  });

  it("keeps a filesystem mounted while another VM still mounts it", () => {
    const ctx = context();
    const mounts = new MountStore(ctx);
    const fs = new FilesystemStore(ctx).create("org_a", "data");
    mounts.add(vm("vm_1"), fs, "/data");
    const second = mounts.add(vm("vm_2"), fs, "/data");
    mounts.remove(second);
    expect(mounts.isMounted(fs)).toBe(true);
  });

  it("answers 404 naming an unknown sync", () => {
    expect(() => new MountStore(context()).find(vm("vm_1"), "sync_x")).toThrow(
      "sync not found: sync_x",
    );
  });

  it("clear forgets every mount", () => {
    const ctx = context();
    const mounts = new MountStore(ctx);
    const fs = new FilesystemStore(ctx).create("org_a", "data");
    mounts.add(vm("vm_1"), fs, "/data");
    mounts.clear();
    expect(mounts.list(vm("vm_1"))).toEqual([]);
    expect(mounts.isMounted(fs)).toBe(false);
  });
});

describe("SessionStore", () => {
  function twoSessions() {
    const store = new SessionStore(context());
    const a = store.create(vm("vm_1"), {}, "/");
    const b = store.create(vm("vm_2"), {}, "/");
    return {
      store,
      a,
      b,
      ticketA: store.issuePtyTicket(a, "org_a").ticket,
      ticketB: store.issuePtyTicket(b, "org_a").ticket,
    };
  }

  it("answers 404 naming an unknown session", () => {
    expect(() => new SessionStore(context()).find(vm("vm_1"), "sess_x")).toThrow(
      "session not found: sess_x",
    );
  });

  it("removing a session drops its tickets only", () => {
    const { store, a, ticketA, ticketB } = twoSessions();
    store.remove(a);
    expect(store.ptyTicket(ticketA)).toBeUndefined();
    expect(store.ptyTicket(ticketB)).toBeDefined();
  });

  it("removing a VM drops its sessions' tickets only", () => {
    const { store, ticketA, ticketB } = twoSessions();
    store.removeVm(vm("vm_1"));
    expect(store.list(vm("vm_1"))).toEqual([]);
    expect(store.ptyTicket(ticketA)).toBeUndefined();
    expect(store.ptyTicket(ticketB)).toBeDefined();
  });

  it("clear forgets sessions, tickets and session indexes", () => {
    const { store, ticketB } = twoSessions();
    store.clear();
    expect(store.list(vm("vm_2"))).toEqual([]);
    expect(store.ptyTicket(ticketB)).toBeUndefined();
    expect(store.create(vm("vm_1"), {}, "/").idx).toBe(0);
  });
});

describe("VmStore", () => {
  const init = (ownerOrgId: string, isPublic: boolean) =>
    ({ ownerOrgId, public: isPublic, name: null }) as unknown as VmInit;

  it("answers 404 naming a VM another org may not see", () => {
    const store = new VmStore(context(), { region: "r", provider: "p" });
    const private_ = store.create(init("org_a", false));
    expect(() => store.visible("org_b", private_.id)).toThrow(`vm not found: ${private_.id}`);
  });

  it("answers 403 naming another org's public VM on change", () => {
    const store = new VmStore(context(), { region: "r", provider: "p" });
    const golden = store.create(init("org_a", true));
    expect(() => store.owned("org_b", golden.id)).toThrow(`vm ${golden.id} belongs to another org`);
  });
});

describe("FileStore.removeVm", () => {
  const upload = (uploadId: string, written: boolean) => ({ uploadId, written }) as UploadRecord;

  it("drops the VM's unfinished uploads, not its written ones nor another VM's", () => {
    const store = new FileStore();
    store.addUpload(vm("vm_1"), upload("upl_open", false));
    store.addUpload(vm("vm_1"), upload("upl_done", true));
    store.addUpload(vm("vm_2"), upload("upl_open", false));
    store.removeVm(vm("vm_1"));
    expect(store.upload("vm_1", "upl_open")).toBeUndefined();
    expect(store.upload("vm_1", "upl_done")).toBeDefined();
    expect(store.upload("vm_2", "upl_open")).toBeDefined();
  });
});

describe("TunnelStore", () => {
  const open = (store: TunnelStore, vmId: string, port: number) =>
    store.open({ vmId, port, visibility: "private", protocol: "http" } as Parameters<
      TunnelStore["open"]
    >[0]);

  it("answers 404 naming the VM and port", () => {
    expect(() => new TunnelStore(context()).find(vm("vm_1"), 8080)).toThrow(
      "tunnel not found: vm_1 port 8080",
    );
  });

  it("removeVm closes that VM's tunnels only; clear closes all", () => {
    const store = new TunnelStore(context());
    open(store, "vm_1", 8080);
    open(store, "vm_2", 8080);
    store.removeVm(vm("vm_1"));
    expect(store.list(vm("vm_1"))).toEqual([]);
    expect(store.list(vm("vm_2"))).toHaveLength(1);
    store.clear();
    expect(store.list(vm("vm_2"))).toEqual([]);
  });
});
