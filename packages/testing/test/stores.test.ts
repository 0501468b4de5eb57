import { describe, expect, it } from "vitest";
import { FilesystemStore } from "../src/stores/filesystem-store.js";
import { MountStore } from "../src/stores/mount-store.js";
import type { VmRecord } from "../src/stores/records.js";
import type { StoreContext } from "../src/stores/store-context.js";
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
