import { INLINE_FILE_LIMIT_BYTES } from "@arker-ai/core";
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, rejection, sendJson, setup, wireVm } from "../../../test-support/local-server";
import { type Vm, VmClient } from "../src/index";
import { writeOf } from "./file-server";
import { completedRun } from "./run-answers";

afterEach(cleanup);

const session = {
  session_id: "sess_1",
  state: "idle",
  cwd: "/",
  session_idx: 1,
  env: {},
  started_at: "t",
};
const sync = { sync_id: "sync_1", vm_id: "vm_1", filesystem_id: "fs_1", path: "/mnt" };
const completed = completedRun();

/** Every mutating call of a VM handle and client, each with the caller's key. */
const MUTATING: Array<[string, (vm: Vm, vms: VmClient, key: string) => Promise<unknown>]> = [
  ["fork", (_vm, vms, key) => vms.fork("ubuntu-full", { idempotencyKey: key })],
  ["vm.fork", (vm, _vms, key) => vm.fork({ idempotencyKey: key })],
  ["run", (vm, _vms, key) => vm.run("true", { idempotencyKey: key })],
  ["cancelRun", (vm, _vms, key) => vm.cancelRun("run_1", { idempotencyKey: key })],
  ["resize", (vm, _vms, key) => vm.resize({ vcpu_count: 2 }, { idempotencyKey: key })],
  ["delete", (vm, _vms, key) => vm.delete({ idempotencyKey: key })],
  ["createSession", (vm, _vms, key) => vm.createSession({ idempotencyKey: key })],
  ["deleteSession", (vm, _vms, key) => vm.deleteSession("sess_1", { idempotencyKey: key })],
  [
    "createSync",
    (vm, _vms, key) => vm.createSync({ filesystemId: "fs_1", path: "/mnt", idempotencyKey: key }),
  ],
  ["deleteSync", (vm, _vms, key) => vm.deleteSync("sync_1", { idempotencyKey: key })],
];

function answer(method: string, url: string): unknown {
  if (url === "/v1/fork") return wireVm("vm_2");
  if (method === "DELETE") return { deleted: true };
  if (url.endsWith("/runs")) return completed;
  if (url.endsWith("/sessions")) return session;
  if (url.endsWith("/syncs")) return sync;
  return { resized: true };
}

describe("every mutating call takes the caller's idempotency key", () => {
  it.each(MUTATING)("%s sends it as Idempotency-Key", async (_name, call) => {
    const { server, client } = await setup((req, res) =>
      sendJson(res, 200, answer(req.method, req.url)),
    );
    const vms = new VmClient(client);
    await call(vms.vm("vm_1"), vms, "caller-key-1");
    expect(server.seen).toHaveLength(1);
    expect(server.seen[0]!.headers["idempotency-key"]).toBe("caller-key-1");
  });

  it.each(MUTATING)("%s refuses a malformed key before sending", async (_name, call) => {
    const { server, client } = await setup((req, res) =>
      sendJson(res, 200, answer(req.method, req.url)),
    );
    const vms = new VmClient(client);
    const error = await rejection(call(vms.vm("vm_1"), vms, "has space"));
    expect(error.code).toBe("bad_request");
    expect(server.seen).toHaveLength(0);
  });

  it.each(MUTATING)("%s fails with the key it sent", async (_name, call) => {
    const { server, client } = await setup((_req, res) =>
      sendJson(res, 409, { code: "conflict", message: "no" }),
    );
    const vms = new VmClient(client);
    const error = await rejection(call(vms.vm("vm_1"), vms, "caller-key-2"));
    expect(error.code).toBe("conflict");
    expect(error.idempotencyKey).toBe("caller-key-2");
    expect(server.seen[0]!.headers["idempotency-key"]).toBe("caller-key-2");
  });

  it("a failure without the caller's key carries the fresh key sent", async () => {
    const { server, client } = await setup((_req, res) =>
      sendJson(res, 409, { code: "vm_busy", message: "busy" }),
    );
    const error = await rejection(new VmClient(client).vm("vm_1").delete());
    expect(error.idempotencyKey).toBe(server.seen[0]!.headers["idempotency-key"]);
    expect(error.idempotencyKey).toMatch(/^[\x21-\x7e]{1,64}$/);
  });

  it("a read refuses a key: it changes nothing", async () => {
    const { server, client } = await setup((_req, res) => sendJson(res, 200, wireVm("vm_1")));
    const vm = new VmClient(client).vm("vm_1");
    for (const call of [
      () => vm.get({ idempotencyKey: "k" }),
      () => vm.listRuns({ idempotencyKey: "k" }),
      () => vm.readFile("/a", { idempotencyKey: "k" }),
    ]) {
      expect((await rejection(call())).code).toBe("bad_request");
    }
    expect(server.seen).toHaveLength(0);
  });
});

describe("a file write's key is its upload id", () => {
  it("an inline write sends the caller's key as upload_id and fails with it", async () => {
    const { server, client } = await setup((_req, res) =>
      sendJson(res, 503, { code: "unavailable", message: "down" }),
    );
    const vm = new VmClient(client).vm("vm_1");
    const error = await rejection(vm.writeFile("/a.txt", "hi", { idempotencyKey: "upl_mine" }));
    expect(error.code).toBe("unavailable");
    expect(error.idempotencyKey).toBe("upl_mine");
    expect(writeOf(server.seen[0]!).upload_id).toBe("upl_mine");
    expect(server.seen[0]!.headers["idempotency-key"]).toBeUndefined();
  });

  it("without a key, a failure carries the fresh upload id", async () => {
    const { server, client } = await setup((_req, res) =>
      sendJson(res, 500, { code: "internal", message: "x" }),
    );
    const vm = new VmClient(client).vm("vm_1");
    const error = await rejection(vm.writeFile("/a.txt", new Uint8Array(3)));
    const { upload_id } = writeOf(server.seen[0]!);
    expect(error.idempotencyKey).toBe(upload_id);
    expect(upload_id).toMatch(/^upl_/);
  });

  it("refuses a malformed key before reading the data", async () => {
    const { server, client } = await setup((_req, res) => sendJson(res, 200, {}));
    const vm = new VmClient(client).vm("vm_1");
    const big = new Uint8Array(INLINE_FILE_LIMIT_BYTES + 1);
    expect((await rejection(vm.writeFile("/a", big, { idempotencyKey: "" }))).code).toBe(
      "bad_request",
    );
    expect(server.seen).toHaveLength(0);
  });
});

describe("run and session inputs follow the contract's rules", () => {
  it.each([
    ["a relative run cwd", (vm: Vm) => vm.run("true", { cwd: "work" })],
    ["a run cwd with ..", (vm: Vm) => vm.run("true", { cwd: "/a/../b" })],
    ["a run env name with a dash", (vm: Vm) => vm.run("true", { env: { "A-B": "1" } })],
    ["a run env name with a digit first", (vm: Vm) => vm.run("true", { env: { "1A": "1" } })],
    ["a relative session cwd", (vm: Vm) => vm.createSession({ cwd: "srv" })],
    ["a session env name with =", (vm: Vm) => vm.createSession({ env: { "A=B": "1" } })],
  ])("refuses %s before any request", async (_label, call) => {
    const { server, client } = await setup((_req, res) => sendJson(res, 200, completed));
    const error = await rejection(call(new VmClient(client).vm("vm_1")));
    expect(error.code).toBe("bad_request");
    expect(server.seen).toHaveLength(0);
  });
});
