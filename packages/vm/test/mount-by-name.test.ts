import { afterEach, describe, expect, it } from "vitest";
import { cleanup, rejection, sendJson, setup } from "../../../test-support/local-server";
import { VmClient } from "../src/index";

// Issue 11, item 7: createSync by filesystem name, as the real TypeScript client sends it.
afterEach(cleanup);

const mount = { sync_id: "sync_1", vm_id: "vm_1", filesystem_id: "fs_1", path: "/mnt/data" };

async function vmOnServer() {
  const ctx = await setup((_req, res) => sendJson(res, 200, mount));
  return { ...ctx, vm: new VmClient(ctx.client).vm("vm_1") };
}

describe("createSync by name", () => {
  it("sends filesystem_name, create_if_missing and an optional path", async () => {
    const { server, vm } = await vmOnServer();
    expect(await vm.createSync({ filesystemName: "data", createIfMissing: true })).toEqual(mount);
    await vm.createSync({ filesystemName: "data", createIfMissing: false, path: "/data" });
    await vm.createSync({ filesystemId: "fs_1" });
    expect(server.seen.map((r) => r.json)).toEqual([
      { filesystem_name: "data", create_if_missing: true },
      { filesystem_name: "data", create_if_missing: false, path: "/data" },
      { filesystem_id: "fs_1" },
    ]);
  });

  it("needs exactly one of filesystemId and filesystemName, and createIfMissing only by name", async () => {
    const { server, vm } = await vmOnServer();
    for (const [options, message] of [
      [{}, /exactly one of filesystemId and filesystemName/],
      [{ filesystemId: "fs_1", filesystemName: "x" }, /exactly one/],
      [{ filesystemId: "fs_1", createIfMissing: true }, /createIfMissing needs filesystemName/],
      [{ filesystemName: "x", createIfMissing: "yes" }, /createIfMissing must be a boolean/],
      [{ filesystemName: "" }, /filesystemName must be a non-empty string/],
      [{ filesystem_name: "x" }, /unknown option filesystem_name; did you mean filesystemName\?/],
    ] as const) {
      const error = await rejection(vm.createSync(options as never));
      expect(error.code).toBe("bad_request");
      expect(error.message).toMatch(message);
    }
    expect(server.seen).toEqual([]);
  });
});
