import { afterEach, describe, expect, it } from "vitest";
import { cleanup, rejection, sendJson, setup } from "../../../test-support/local-server";
import { VmClient } from "../src/index";

// Issue 11, item 14: every option object of the VM client refuses a key it does not
// know, naming it and the intended spelling, before any request is sent.
afterEach(cleanup);

const wrong = { session_id: "sess_1" } as never;

describe("unknown option keys", () => {
  it("are refused by every method, before sending, naming the key", async () => {
    const { server, client } = await setup((_req, res) => sendJson(res, 200, {}));
    const vms = new VmClient(client);
    const vm = vms.vm("vm_1");
    const calls: Array<[string, () => Promise<unknown>]> = [
      ["fork", () => vms.fork("ubuntu", wrong)],
      ["fork", () => vms.fork({ sourceVmName: "ubuntu", session_id: "x" } as never)],
      ["fork", () => vm.fork(wrong)],
      ["listVms", () => vms.listVms(wrong)],
      ["getVm", () => vms.getVm("vm_1", wrong)],
      ["getVm", () => vm.get(wrong)],
      ["run", () => vm.run("pwd", wrong)],
      ["getRun", () => vm.getRun("run_1", wrong)],
      ["listRuns", () => vm.listRuns(wrong)],
      ["cancelRun", () => vm.cancelRun("run_1", wrong)],
      ["waitForRun", () => vm.waitForRun("run_1", wrong)],
      ["createSession", () => vm.createSession(wrong)],
      ["listSessions", () => vm.listSessions(wrong)],
      ["getSession", () => vm.getSession("sess_1", wrong)],
      ["deleteSession", () => vm.deleteSession("sess_1", wrong)],
      ["ptyTicket", () => vm.ptyTicket("sess_1", wrong)],
      ["resize", () => vm.resize({ vcpu_count: 2 }, wrong)],
      ["delete", () => vm.delete(wrong)],
      ["readFile", () => vm.readFile("/a", wrong)],
      ["writeFile", () => vm.writeFile("/a", "x", wrong)],
      ["writeFile", () => vm.sync("/a", "x", wrong)],
      [
        "createSync",
        () => vm.createSync({ filesystemId: "fs_1", path: "/m", ...(wrong as object) }),
      ],
      ["listSyncs", () => vm.listSyncs(wrong)],
      ["getSync", () => vm.getSync("sync_1", wrong)],
      ["deleteSync", () => vm.deleteSync("sync_1", wrong)],
    ];
    for (const [where, call] of calls) {
      const error = await rejection(call());
      expect([where, error.code]).toEqual([where, "bad_request"]);
      expect(error.message).toContain(`${where}: unknown option session_id`);
    }
    expect(server.seen).toEqual([]);
  });

  it("run names the camelCase spelling of a wire name", async () => {
    const { client } = await setup((_req, res) => sendJson(res, 200, {}));
    const vms = new VmClient(client);
    const vm = vms.vm("vm_1");
    const error = await rejection(vm.run("pwd", { session_id: "sess_1" } as never));
    expect(error.message).toContain("unknown option session_id; did you mean sessionId?");
    expect((await rejection(vm.run("pwd", { timeout_ms: 5 } as never))).message).toContain(
      "did you mean timeoutMs?",
    );
    expect((await rejection(vms.listVms({ source_org_id: "o" } as never))).message).toContain(
      "did you mean sourceOrgId?",
    );
  });

  it("resize accepts both spellings of a size and refuses anything else", async () => {
    const { server, client } = await setup((_req, res) => sendJson(res, 200, { resized: true }));
    const vm = new VmClient(client).vm("vm_1");
    await vm.resize({ vcpu_count: 2 });
    const error = await rejection(vm.resize({ vcpus: 2 } as never));
    expect(error.message).toContain("resize: unknown option vcpus");
    const close = await rejection(vm.resize({ memory_mb: 512 } as never));
    expect(close.message).toContain("did you mean memory_mib?");
    expect(server.seen).toHaveLength(1);
  });
});
