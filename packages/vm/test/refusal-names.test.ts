import { afterEach, describe, expect, it } from "vitest";
import { cleanup, rejection, sendJson, setup, wireVm } from "../../../test-support/local-server";
import { VmClient } from "../src/index";
import { forkRequest, sourceFromString } from "../src/resources/fork-request";
import { runRequest } from "../src/resources/run-request";
import { describeWireValue } from "../src/support/wire-value";

// A refusal names the argument the caller got wrong, and is made before anything is sent
// (found by mutation testing: TESTING.md).
afterEach(cleanup);

function refusal(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    expect((error as { code?: string }).code).toBe("bad_request");
    return plain(error as Error);
  }
  throw new Error("expected a bad_request");
}

/** The message without its `bad_request: ` prefix. */
function plain(error: Error): string {
  return error.message.replace(/^bad_request: /, "");
}

async function quietServer() {
  const ctx = await setup((_req, res) => sendJson(res, 200, wireVm("vm_child")));
  return { ...ctx, vms: new VmClient(ctx.client) };
}

describe("fork refusals", () => {
  it("names each fork option of the wrong type", () => {
    for (const [key, value, rule] of [
      ["sourceVmName", 7, "must be a string"],
      ["sourceVmId", 7, "must be a string"],
      ["sourceOrgId", 7, "must be a string"],
      ["name", 7, "must be a string"],
      ["public", "yes", "must be a boolean"],
      ["disk", "yes", "must be a boolean"],
      ["durable", "yes", "must be a boolean"],
      ["vcpuCount", 0, "must be"],
      ["memoryMib", 1, "must be"],
      ["diskMib", -1, "must be"],
    ] as const) {
      const source = key === "sourceVmName" || key === "sourceVmId" ? {} : { sourceVmName: "b" };
      expect(refusal(() => forkRequest({ ...source, [key]: value } as never))).toMatch(
        new RegExp(`^${key} ${rule}`),
      );
    }
  });

  it("refuses a blank source, no source, two sources, and a non-object", () => {
    expect(refusal(() => sourceFromString("  "))).toBe("fork source must be a non-empty string");
    expect(refusal(() => forkRequest({ sourceVmName: " " }))).toBe(
      "fork source must be a non-empty string",
    );
    expect(refusal(() => forkRequest({ sourceVmId: "" }))).toBe(
      "fork source must be a non-empty string",
    );
    expect(refusal(() => forkRequest({}))).toBe(
      "fork needs exactly one source: sourceVmName or sourceVmId",
    );
    expect(refusal(() => forkRequest({ sourceVmName: "a", sourceVmId: "vm_b" }))).toBe(
      "fork needs exactly one source: sourceVmName or sourceVmId",
    );
    for (const bad of [null, "base", 7]) {
      expect(refusal(() => forkRequest(bad as never))).toMatch(/^fork needs a source: /);
    }
  });

  it("sends only the options given, and a source name with spaces around it as it is", () => {
    expect(forkRequest({ sourceVmId: "vm_a" })).toEqual({ source_vm_id: "vm_a" });
    expect(forkRequest({ sourceVmName: " base " })).toEqual({ source_vm_name: " base " });
    expect(sourceFromString(" vm_x")).toEqual({ sourceVmName: " vm_x" });
    expect(forkRequest({ sourceVmName: "b", public: false, disk: false, durable: false })).toEqual({
      source_vm_name: "b",
      public: false,
      disk: false,
      durable: false,
    });
  });

  it("VmClient.fork: one source only, from the first argument; a handle of another copy works", async () => {
    const { server, vms } = await quietServer();
    for (const extra of [{ sourceVmName: "b" }, { sourceVmId: "vm_b" }]) {
      const error = await rejection(vms.fork("base", extra as never));
      expect([error.code, plain(error)]).toEqual([
        "bad_request",
        "fork needs exactly one source; give it as the first argument only",
      ]);
    }
    for (const bad of [null, 7, undefined]) {
      const error = await rejection(vms.fork(bad as never));
      expect(error.code).toBe("bad_request");
      expect(plain(error)).toMatch(/^fork needs a source: a golden name, a VM/);
    }
    expect(server.seen).toHaveLength(0);
    // A Vm of another installed copy: an object with a string id and a run method.
    const foreign = { id: "vm_other", run: () => undefined, sourceVmName: "ignored" };
    await vms.fork(foreign as never);
    expect(server.seen[0]!.json).toEqual({ source_vm_id: "vm_other" });
    // An object with an id but no run method is an options object, not a handle.
    const error = await rejection(vms.fork({ id: "vm_x", sourceVmName: "b" } as never));
    expect(error.message).toMatch(/id/);
    // A non-string id is not a handle either: an options object with unknown keys.
    const notHandle = await rejection(
      vms.fork({ id: 7, run: () => undefined, sourceVmName: "b" } as never),
    );
    expect(plain(notHandle)).not.toMatch(/sourceVmId/);
    expect(plain(notHandle)).toMatch(/\bid\b/);
    expect(server.seen).toHaveLength(1);
  });

  it("getVm names vmId", async () => {
    const { server, vms } = await quietServer();
    expect(plain(await rejection(vms.getVm("")))).toBe("vmId must be a non-empty string");
    expect(refusal(() => vms.vm(""))).toBe("vmId must be a non-empty string");
    expect(server.seen).toHaveLength(0);
  });
});

describe("run refusals", () => {
  it("names the command and each option", () => {
    expect(refusal(() => runRequest(" "))).toBe("command must be a non-empty string");
    expect(refusal(() => runRequest(7 as never))).toBe("command must be a non-empty string");
    expect(refusal(() => runRequest("ls", { background: "y" as never }))).toBe(
      "background must be a boolean",
    );
    expect(refusal(() => runRequest("ls", { timeout: -1 }))).toMatch(/^timeout .*seconds/);
    expect(refusal(() => runRequest("ls", { sessionId: "" }))).toBe(
      "sessionId must be a non-empty string",
    );
    expect(refusal(() => runRequest("ls", { cwd: "rel" }))).toMatch(/^cwd must be absolute/);
    expect(runRequest(" ls ")).toEqual({ command: " ls " });
    expect(runRequest("ls", { background: false })).toEqual({ command: "ls", background: false });
  });
});

describe("list and id refusals name the argument", () => {
  it("vms, runs, sessions and syncs", async () => {
    const { server, vms } = await quietServer();
    const vm = vms.vm("vm_1");
    for (const [call, message] of [
      [() => vms.listVms({ state: "asleep" as never }), /^state must be one of/],
      [() => vms.listVms({ cursor: 7 as never }), /^cursor must be a string/],
      [() => vms.listVms({ region: 7 as never }), /^region must be a string/],
      [() => vms.listVms({ provider: 7 as never }), /^provider must be a string/],
      [() => vms.listVms({ sourceOrgId: 7 as never }), /^sourceOrgId must be a string/],
      [() => vms.listVms({ startedAfter: 7 as never }), /^startedAfter must be a Date/],
      [() => vms.listVms({ startedBefore: 7 as never }), /^startedBefore must be a Date/],
      [() => vm.listRuns({ cursor: 7 as never }), /^cursor must be a string/],
      [() => vm.waitForRun("run_1", { timeoutMs: -1 }), /^timeoutMs .*milliseconds/],
      [() => vm.listSessions({ cursor: 7 as never }), /^cursor must be a string/],
      [() => vm.getSession(""), /^sessionId must be a non-empty string/],
      [() => vm.deleteSession(""), /^sessionId must be a non-empty string/],
      [() => vm.ptyTicket(""), /^sessionId must be a non-empty string/],
      [() => vm.createSession({ cwd: "rel" }), /^cwd must be absolute/],
      [() => vm.listSyncs({ cursor: 7 as never }), /^cursor must be a string/],
      [() => vm.listSyncs({ filesystemId: "" }), /^filesystemId must be a non-empty string/],
      [() => vm.createSync({ filesystemId: "", path: "/a" }), /^filesystemId must be a non/],
      [() => vm.createSync(null as never), /^createSync needs \{ filesystemId/],
      [() => vm.getSync(""), /^syncId must be a non-empty string/],
      [() => vm.deleteSync(""), /^syncId must be a non-empty string/],
    ] as Array<[() => Promise<unknown>, RegExp]>) {
      const error = await rejection(call());
      expect(error.code).toBe("bad_request");
      expect(plain(error)).toMatch(message);
    }
    expect(server.seen).toHaveLength(0);
  });
});

describe("describeWireValue: names a value from an answer without echoing it", () => {
  it("quotes short enum-like strings, and only names the type of anything else", () => {
    expect(describeWireValue("latin1")).toBe('"latin1"');
    expect(describeWireValue("Bearer sk_live_secret")).toBe("a string of 21 characters");
    expect(describeWireValue(null)).toBe("null");
    expect(describeWireValue([1])).toBe("an array");
    expect(describeWireValue({ a: 1 })).toBe("an object");
    expect(describeWireValue(7)).toBe("a number");
    expect(describeWireValue(true)).toBe("a boolean");
    expect(describeWireValue(undefined)).toBe("a undefined");
  });
});

describe("optional filters", () => {
  it("listSyncs without a filesystemId asks for every sync of the VM", async () => {
    const { server, client } = await setup((_req, res) =>
      sendJson(res, 200, { syncs: [], next_cursor: null }),
    );
    await new VmClient(client).vm("vm_1").listSyncs();
    expect(server.seen[0]!.url).toBe("/v1/vms/vm_1/syncs");
  });
});

describe("sync with data left undefined", () => {
  it("says the data is undefined instead of naming the file data types", async () => {
    const { server, vms } = await quietServer();
    for (const data of [undefined, null]) {
      const error = await rejection(vms.vm("vm_1").sync("/f", data as never));
      expect(error.code).toBe("bad_request");
      expect(plain(error)).toMatch(/^sync\(path, data\): data is undefined/);
    }
    expect(server.seen).toHaveLength(0);
  });
});
