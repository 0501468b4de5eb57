// Proves FileSync passes on a host failure that is not an entry's fault (thrown, not made an entry error), and words a non-Error thrown by the tree.
import { describe, expect, it } from "vitest";
import { FileSync } from "../src/engine/file-sync.js";
import type { VmFileSystem } from "../src/files/vm-filesystem.js";
import { FileStore } from "../src/stores/file-store.js";
import type { VmRecord } from "../src/stores/records.js";
import { EngineClock } from "../src/support/clock.js";
import { IdFactory } from "../src/support/ids.js";
import { resolveOptions } from "../src/support/options.js";
import { SeededRandom } from "../src/support/random.js";

const vm = { id: "vm_1" } as VmRecord;
const entry = { path: "/a", size: 1, upload_id: "u", content: "eA==", start: 0, end: 1 };

/** A FileSync whose VM filesystem is the given stub. */
function over(files: Partial<VmFileSystem>): FileSync {
  const clock = new EngineClock(1000);
  return new FileSync({
    files: new FileStore(),
    ids: new IdFactory(new SeededRandom(1), () => clock.now()),
    clock,
    options: resolveOptions({}),
    filesystemOf: () => files as VmFileSystem,
  });
}

describe("FileSync host failures", () => {
  it("throws a host error that is no entry failure instead of answering it per entry", () => {
    const broken = new Error("host broke");
    const sync = over({
      roomFor: () => {
        throw broken;
      },
    });
    expect(() => sync.write(vm, [entry], "http://fake.test")).toThrow(broken);
  });

  it("words a tree refusal that is not an Error with its string form", () => {
    const sync = over({
      roomFor: () => true,
      storeFile: () => {
        throw "disk says no";
      },
    });
    expect(sync.write(vm, [entry], "http://fake.test").results).toEqual([
      {
        path: "/a",
        size: 1,
        error: { code: "bad_request", message: "cannot write /a: disk says no" },
      },
    ]);
  });
});
