import { ARKER_ORG_ID, ArkerError, PUBLIC_GOLDENS } from "@arker-ai/core";
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, rejection, sendJson, setup, wireVm } from "../../../test-support/local-server";
import { type ForkSource, Vm, VmClient } from "../src/index";

afterEach(cleanup);

async function forkServer() {
  const ctx = await setup((req, res) => sendJson(res, 200, wireVm(`vm_${req.url.length}`)));
  return { ...ctx, vms: new VmClient(ctx.client) };
}

describe("fork wire mapping", () => {
  it.each(PUBLIC_GOLDENS.map((name) => [name]))(
    "golden %s forks by name from ArkerHQ",
    async (golden) => {
      const { server, vms } = await forkServer();
      const vm = await vms.fork(golden);
      expect(server.seen).toHaveLength(1);
      expect(server.seen[0]!.method).toBe("POST");
      expect(server.seen[0]!.url).toBe("/v1/fork");
      expect(server.seen[0]!.json).toEqual({ source_vm_name: golden, source_org_id: ARKER_ORG_ID });
      expect(vm).toBeInstanceOf(Vm);
      expect(vm.id).toBe("vm_8");
      expect(vm.info?.vm_id).toBe("vm_8");
    },
  );

  it("lets sourceOrgId override the inferred golden org", async () => {
    const { server, vms } = await forkServer();
    await vms.fork("ubuntu", { sourceOrgId: "acme" });
    expect(server.seen[0]!.json).toEqual({ source_vm_name: "ubuntu", source_org_id: "acme" });
  });

  it("treats a vm_ string as an id and any other string as a name in the caller's org", async () => {
    const { server, vms } = await forkServer();
    await vms.fork("vm_01ABC");
    await vms.fork("my-base", { durable: true });
    expect(server.seen[0]!.json).toEqual({ source_vm_id: "vm_01ABC" });
    expect(server.seen[1]!.json).toEqual({ source_vm_name: "my-base", durable: true });
  });

  it("forks from a Vm handle by id with the options of the README", async () => {
    const { server, vms } = await forkServer();
    const parent = vms.vm("vm_parent");
    await vms.fork(parent, { name: "child" });
    await parent.fork({ name: "grandchild", durable: false });
    expect(server.seen[0]!.json).toEqual({ source_vm_id: "vm_parent", name: "child" });
    expect(server.seen[1]!.json).toEqual({
      source_vm_id: "vm_parent",
      name: "grandchild",
      durable: false,
    });
  });

  it("maps every option of the object form to the wire", async () => {
    const { server, vms } = await forkServer();
    await vms.fork({
      sourceVmName: "base",
      sourceOrgId: "acme",
      name: "n",
      durable: true,
      public: true,
      disk: false,
      vcpuCount: 4,
      memoryMib: 4096,
      diskMib: 20480,
    });
    expect(server.seen[0]!.json).toEqual({
      source_vm_name: "base",
      source_org_id: "acme",
      name: "n",
      durable: true,
      public: true,
      disk: false,
      vcpu_count: 4,
      memory_mib: 4096,
      disk_mib: 20480,
    });
  });

  it("infers ArkerHQ for a golden given as sourceVmName", async () => {
    const { server, vms } = await forkServer();
    await vms.fork({ sourceVmName: "ubuntu-full", durable: true });
    expect(server.seen[0]!.json).toEqual({
      source_vm_name: "ubuntu-full",
      source_org_id: "ArkerHQ",
      durable: true,
    });
  });

  it("sends a fresh idempotency key per call, or the one given", async () => {
    const { server, vms } = await forkServer();
    await vms.fork("ubuntu");
    await vms.fork("ubuntu");
    await vms.fork("ubuntu", { idempotencyKey: "fork-key-1" });
    const keys = server.seen.map((r) => r.headers["idempotency-key"]);
    expect(keys[0]).toMatch(/^[\x21-\x7e]{1,64}$/);
    expect(keys[1]).toMatch(/^[\x21-\x7e]{1,64}$/);
    expect(keys[0]).not.toBe(keys[1]);
    expect(keys[2]).toBe("fork-key-1");
  });

  it("reuses the idempotency key on a retry after a 503", async () => {
    const { server, vms } = await setup((_req, res, index) =>
      index === 0
        ? sendJson(res, 503, { code: "unavailable", message: "busy" })
        : sendJson(res, 200, wireVm("vm_retried")),
    ).then((ctx) => ({ ...ctx, vms: new VmClient(ctx.client) }));
    const vm = await vms.fork("ubuntu");
    expect(vm.id).toBe("vm_retried");
    expect(server.seen).toHaveLength(2);
    expect(server.seen[0]!.headers["idempotency-key"]).toBe(
      server.seen[1]!.headers["idempotency-key"],
    );
  });

  const invalid: Array<[string, ForkSource, object | undefined]> = [
    ["no source", {}, undefined],
    ["two sources", { sourceVmName: "a", sourceVmId: "vm_b" }, undefined],
    ["an empty name", "", undefined],
    ["a blank id", { sourceVmId: "  " }, undefined],
    ["a source in the options too", "ubuntu", { sourceVmId: "vm_x" }],
    ["a non-string name", { sourceVmName: 5 as unknown as string }, undefined],
    ["vcpuCount 0", "ubuntu", { vcpuCount: 0 }],
    ["vcpuCount 65", "ubuntu", { vcpuCount: 65 }],
    ["memoryMib 300", "ubuntu", { memoryMib: 300 }],
    ["diskMib -1", "ubuntu", { diskMib: -1 }],
    ["durable as a string", "ubuntu", { durable: "yes" }],
    ["a bad idempotency key", "ubuntu", { idempotencyKey: "has space" }],
  ];
  it.each(invalid)("rejects %s before any request", async (_label, source, options) => {
    const { server, vms } = await forkServer();
    const error = await rejection(vms.fork(source, options as never));
    expect(error).toBeInstanceOf(ArkerError);
    expect(error.code).toBe("bad_request");
    expect(error.status).toBe(400);
    expect(server.seen).toHaveLength(0);
  });

  it("reports a 2xx answer without vm_id as internal", async () => {
    const { vms } = await setup((_req, res) => sendJson(res, 200, { nope: 1 })).then((ctx) => ({
      ...ctx,
      vms: new VmClient(ctx.client),
    }));
    const error = await rejection(vms.fork("ubuntu"));
    expect(error.code).toBe("internal");
    expect(error.requestId).toBe("req_200");
  });
});

describe("VmClient", () => {
  it("vm(id) sends nothing and has no info", async () => {
    const { server, vms } = await forkServer();
    const vm = vms.vm("vm_x");
    expect(vm.id).toBe("vm_x");
    expect(vm.info).toBeNull();
    expect(server.seen).toHaveLength(0);
    expect(() => vms.vm("")).toThrow(ArkerError);
  });

  it("getVm and vm.get read /v1/vms/{id}, encoding the id", async () => {
    const { server, client } = await setup((_req, res) =>
      sendJson(res, 200, wireVm("vm_a/b", { vcpu_count: 8 })),
    );
    const vms = new VmClient(client);
    const info = await vms.getVm("vm_a/b");
    expect(info.vcpu_count).toBe(8);
    const vm = vms.vm("vm_a/b");
    await vm.get();
    expect(vm.info && "vcpu_count" in vm.info ? vm.info.vcpu_count : null).toBe(8);
    expect(server.seen.map((r) => `${r.method} ${r.url}`)).toEqual([
      "GET /v1/vms/vm_a%2Fb",
      "GET /v1/vms/vm_a%2Fb",
    ]);
  });

  it("listVms goes to the control host with every filter and pages with for await", async () => {
    const { server, client } = await setup((req, res) => {
      const cursor = new URL(req.url, "http://x").searchParams.get("cursor");
      if (cursor === null)
        sendJson(res, 200, { vms: [wireVm("vm_1"), wireVm("vm_2")], next_cursor: "c2" });
      else sendJson(res, 200, { vms: [wireVm("vm_3")], next_cursor: null });
    });
    const control = new VmClient(
      new (client.constructor as typeof import("@arker-ai/core").ArkerClient)({
        apiKey: "ark_live_test_key",
        baseUrl: "http://127.0.0.1:1",
        controlBaseUrl: `${server.url}/control`,
        logLevel: "off",
      }),
    );
    const page = await control.listVms({
      state: "idle",
      limit: 2,
      region: "us-west-2",
      provider: "aws",
      sourceOrgId: "ArkerHQ",
      startedAfter: new Date("2026-01-02T03:04:05.000Z"),
      startedBefore: "2026-02-01T00:00:00Z",
    });
    expect(page.items.map((v) => v.vm_id)).toEqual(["vm_1", "vm_2"]);
    expect(page.hasNextPage()).toBe(true);
    const all: string[] = [];
    for await (const vm of page) all.push(vm.vm_id);
    expect(all).toEqual(["vm_1", "vm_2", "vm_3"]);
    const first = new URL(server.seen[0]!.url, "http://x");
    expect(first.pathname).toBe("/control/v1/vms");
    expect(Object.fromEntries(first.searchParams)).toEqual({
      state: "idle",
      limit: "2",
      region: "us-west-2",
      provider: "aws",
      source_org_id: "ArkerHQ",
      started_after: "2026-01-02T03:04:05.000Z",
      started_before: "2026-02-01T00:00:00Z",
    });
    expect(new URL(server.seen[1]!.url, "http://x").searchParams.get("cursor")).toBe("c2");
    await control.client.close();
  });

  it.each([
    ["limit 0", { limit: 0 }],
    ["limit 1001", { limit: 1001 }],
    ["limit 2.5", { limit: 2.5 }],
    ["an unknown state", { state: "stopped" }],
    ["an invalid date", { startedAfter: new Date("nope") }],
  ])("listVms rejects %s before any request", async (_label, options) => {
    const { server, vms } = await forkServer();
    const error = await rejection(vms.listVms(options as never));
    expect(error.code).toBe("bad_request");
    expect(server.seen).toHaveLength(0);
  });
});
