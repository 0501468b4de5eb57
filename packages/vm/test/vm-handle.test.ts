import { afterEach, describe, expect, it } from "vitest";
import { cleanup, rejection, sendJson, setup } from "../../../test-support/local-server";
import { type ResizeSize, VmClient } from "../src/index";

afterEach(cleanup);

async function vmWith(answer: (method: string, url: string) => unknown = () => ({})) {
  const ctx = await setup((req, res) => sendJson(res, 200, answer(req.method, req.url)));
  return { ...ctx, vm: new VmClient(ctx.client).vm("vm_1") };
}

describe("resize", () => {
  it.each<[ResizeSize]>([
    [{ vcpu_count: 4, memory_mib: 8192 }],
    [{ vcpu_count: 1 }],
    [{ vcpu_count: 64 }],
    [{ memory_mib: 256 }],
    [{ memory_mib: 262_144 }],
    [{ disk_mib: 20_480 }],
  ])("sends %o", async (size) => {
    const { server, vm } = await vmWith(() => ({ resized: true }));
    await vm.resize(size);
    expect(server.seen[0]!.method).toBe("POST");
    expect(server.seen[0]!.url).toBe("/v1/vms/vm_1/resize");
    expect(server.seen[0]!.json).toEqual(size);
  });

  it.each<[string, unknown]>([
    ["no field", {}],
    ["null", null],
    ["vcpu 0", { vcpu_count: 0 }],
    ["vcpu 65", { vcpu_count: 65 }],
    ["vcpu 1.5", { vcpu_count: 1.5 }],
    ["memory 128", { memory_mib: 128 }],
    ["memory 300 (not a step of 256)", { memory_mib: 300 }],
    ["memory 262400", { memory_mib: 262_400 }],
    ["disk 0", { disk_mib: 0 }],
    ["disk 1.5", { disk_mib: 1.5 }],
    ["memory as a string", { memory_mib: "1024" }],
  ])("rejects %s before any request", async (_label, size) => {
    const { server, vm } = await vmWith();
    const error = await rejection(vm.resize(size as ResizeSize));
    expect(error.code).toBe("bad_request");
    expect(error.status).toBe(400);
    expect(server.seen).toHaveLength(0);
  });
});

describe("delete, sessions and mounts on the wire", () => {
  it("delete sends DELETE /v1/vms/{id} with an idempotency key", async () => {
    const { server, vm } = await vmWith(() => ({ deleted: true }));
    await expect(vm.delete()).resolves.toBeUndefined();
    expect(server.seen[0]!.method).toBe("DELETE");
    expect(server.seen[0]!.url).toBe("/v1/vms/vm_1");
    expect(server.seen[0]!.headers["idempotency-key"]).toBeTruthy();
  });

  it("maps session calls", async () => {
    const session = {
      session_id: "sess_1",
      state: "idle",
      cwd: "/srv",
      session_idx: 1,
      env: { A: "1" },
      started_at: "t",
    };
    const { server, vm } = await vmWith((method, url) =>
      url.endsWith("/sessions") && method === "GET"
        ? { sessions: [session], next_cursor: null }
        : url.endsWith("/pty-ticket")
          ? { ticket: "ptyt_1", expires_in: 300 }
          : method === "DELETE"
            ? { deleted: true }
            : session,
    );
    expect(await vm.createSession({ env: { A: "1" }, cwd: "/srv" })).toEqual(session);
    expect((await vm.listSessions()).items).toEqual([session]);
    expect(await vm.getSession("sess_1")).toEqual(session);
    expect(await vm.ptyTicket("sess_1")).toEqual({ ticket: "ptyt_1", expiresIn: 300 });
    await vm.deleteSession("sess_1");
    expect(server.seen.map((r) => `${r.method} ${r.url}`)).toEqual([
      "POST /v1/vms/vm_1/sessions",
      "GET /v1/vms/vm_1/sessions",
      "GET /v1/vms/vm_1/sessions/sess_1",
      "POST /v1/vms/vm_1/sessions/sess_1/pty-ticket",
      "DELETE /v1/vms/vm_1/sessions/sess_1",
    ]);
    // Like every POST: a retry after a lost answer gets the same ticket, not a second one.
    expect(server.seen[3]!.headers["idempotency-key"]).toBeTruthy();
    expect(server.seen[0]!.json).toEqual({ env: { A: "1" }, cwd: "/srv" });
  });

  it("maps mount (sync) calls", async () => {
    const sync = { sync_id: "sync_1", vm_id: "vm_1", filesystem_id: "fs_1", path: "/mnt/data" };
    const { server, vm } = await vmWith((method, url) =>
      url.startsWith("/v1/vms/vm_1/syncs?") || (url === "/v1/vms/vm_1/syncs" && method === "GET")
        ? { syncs: [sync], next_cursor: null }
        : method === "DELETE"
          ? { deleted: true }
          : sync,
    );
    expect(await vm.createSync({ filesystemId: "fs_1", path: "/mnt/data" })).toEqual(sync);
    expect((await vm.listSyncs({ filesystemId: "fs_1", limit: 5 })).items).toEqual([sync]);
    expect(await vm.getSync("sync_1")).toEqual(sync);
    await vm.deleteSync("sync_1");
    expect(server.seen.map((r) => `${r.method} ${r.url}`)).toEqual([
      "POST /v1/vms/vm_1/syncs",
      "GET /v1/vms/vm_1/syncs?filesystem_id=fs_1&limit=5",
      "GET /v1/vms/vm_1/syncs/sync_1",
      "DELETE /v1/vms/vm_1/syncs/sync_1",
    ]);
    expect(server.seen[0]!.json).toEqual({ filesystem_id: "fs_1", path: "/mnt/data" });
  });

  it("rejects bad session and mount arguments before any request", async () => {
    const { server, vm } = await vmWith();
    const calls = [
      () => vm.createSession({ env: { A: 1 as unknown as string } }),
      () => vm.createSession({ cwd: "" }),
      () => vm.getSession(""),
      () => vm.deleteSession(""),
      () => vm.listSessions({ limit: 0 }),
      () => vm.createSync({ filesystemId: "", path: "/mnt" }),
      () => vm.createSync(undefined as never),
      () => vm.getSync(""),
      () => vm.deleteSync(" "),
      () => vm.listSyncs({ limit: 1001 }),
    ];
    for (const call of calls) expect((await rejection(call())).code).toBe("bad_request");
    expect(server.seen).toHaveLength(0);
  });

  it("passes signal and timeoutMs through: an aborted call sends nothing", async () => {
    const { server, vm } = await vmWith();
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(vm.get({ signal: controller.signal }));
    expect(error.code).toBe("aborted");
    expect(server.seen).toHaveLength(0);
  });
});
