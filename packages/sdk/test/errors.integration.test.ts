import { ERROR_STATUS } from "@arker-ai/core";
import type { FakeArker } from "@arker-ai/testing";
import { afterEach, describe, expect, it } from "vitest";
import { Arker, type ArkerError, ArkerError as ArkerErrorClass } from "../src/index";
import { connect, DOORS, rejection } from "./fake-helpers";

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

async function start(
  listen: boolean,
  ...rest: Parameters<typeof connect> extends [boolean, ...infer R] ? R : never
) {
  const connection = await connect(listen, ...rest);
  open.push(connection);
  return connection;
}

/** The error arrived as the one error type, with the contract's status and the fake's request id. */
function expectFromServer(error: ArkerError, fake: FakeArker, code: keyof typeof ERROR_STATUS) {
  expect(error).toBeInstanceOf(ArkerErrorClass);
  expect(ArkerErrorClass.is(error)).toBe(true);
  expect(error.code).toBe(code);
  expect(error.status).toBe(ERROR_STATUS[code]);
  expect(error.message.startsWith(`${code}: `)).toBe(true);
  const last = fake.requests.at(-1)!;
  expect(error.requestId).not.toBeNull();
  expect(error.requestId).toBe(last.requestId);
  expect(last.status).toBe(ERROR_STATUS[code]);
}

async function goldenId(ar: Arker, name: string): Promise<string> {
  for await (const vm of await ar.listVms({ sourceOrgId: "ArkerHQ" })) {
    if (vm.name === name || vm.root_source_vm_name === name) return vm.vm_id;
  }
  throw new Error(`no golden ${name}`);
}

describe.each(DOORS)("error codes through the %s door", (_door, listen) => {
  it("bad_request from the server (disk may only grow)", async () => {
    const { fake, ar } = await start(listen);
    const vm = await ar.fork("ubuntu-full");
    const error = await rejection(vm.resize({ disk_mib: 1 }));
    expectFromServer(error, fake, "bad_request");
  });

  it("unauthorized for an unknown key, and for a revoked one", async () => {
    const { fake } = await start(listen);
    const wrong = new Arker({ ...fake.clientOptions, apiKey: "ark_live_not_a_key", retry: false });
    open.push(wrong);
    expectFromServer(await rejection(wrong.listVms()), fake, "unauthorized");
    const other = fake.addOrg("other");
    const revoked = new Arker({ ...fake.clientOptions, apiKey: other.apiKey, retry: false });
    open.push(revoked);
    expect((await revoked.listVms()).items.every((vm) => vm.owner_org_id !== fake.orgId)).toBe(
      true,
    );
    expect(fake.revokeKey(other.apiKey)).toBe(true);
    expectFromServer(await rejection(revoked.fork("ubuntu-full")), fake, "unauthorized");
  });

  it("a per-entry write failure inside a 200 answer arrives as ArkerError with its status", async () => {
    const { fake, ar } = await start(listen);
    const vm = await ar.fork("ubuntu-full");
    const error = await rejection(vm.sync("/home/user", "not a directory"));
    expect(error.code).toBe("bad_request");
    expect(error.status).toBe(400);
    expect(error.message).toContain("cannot write /home/user");
    const last = fake.requests.at(-1)!;
    expect(last.status).toBe(200);
    expect(error.requestId).toBe(last.requestId);
  });

  it("forbidden to delete another org's public VM", async () => {
    const { fake, ar } = await start(listen);
    const id = await goldenId(ar, "ubuntu-full");
    expectFromServer(await rejection(ar.vm(id).delete()), fake, "forbidden");
  });

  it("not_found for a missing file, with the server's message", async () => {
    const { fake, ar } = await start(listen);
    const vm = await ar.fork("ubuntu-full");
    const error = await rejection(vm.sync("/home/user/missing.txt"));
    expectFromServer(error, fake, "not_found");
    expect(error.message).toBe("not_found: file not found: /home/user/missing.txt");
    expectFromServer(await rejection(ar.getVm("vm_does_not_exist")), fake, "not_found");
  });

  it("conflict for an idempotency key reused with another body, and a taken mount path", async () => {
    const { fake, ar } = await start(listen);
    const first = await ar.fork("ubuntu", { idempotencyKey: "same-key" });
    const replay = await ar.fork("ubuntu", { idempotencyKey: "same-key" });
    expect(replay.id).toBe(first.id);
    expectFromServer(
      await rejection(ar.fork("ubuntu-full", { idempotencyKey: "same-key" })),
      fake,
      "conflict",
    );

    const fs1 = await ar.createFilesystem({ name: "one" });
    const fs2 = await ar.createFilesystem({ name: "two" });
    await first.createSync({ filesystemId: fs1.filesystem_id, path: "/mnt/x" });
    expectFromServer(
      await rejection(first.createSync({ filesystemId: fs2.filesystem_id, path: "/mnt/x" })),
      fake,
      "conflict",
    );
  });

  it("a resize while a run is in flight succeeds; vm_busy comes from a fault rule, not retried", async () => {
    const { fake, ar } = await start(listen);
    fake.commands.on("busy", () => ({ durationMs: 60_000 }));
    const vm = await ar.fork("ubuntu-full");
    await vm.run("busy", { background: true });
    await vm.resize({ vcpu_count: 4 });
    expect((await vm.get()).vcpu_count).toBe(4);
    fake.faults.add({
      method: "POST",
      path: "/v1/vms/*/resize",
      effect: { type: "respond", status: 409, code: "vm_busy", message: "busy" },
    });
    const error = await rejection(vm.resize({ vcpu_count: 8 }));
    expectFromServer(error, fake, "vm_busy");
    expect(error.retryable).toBe(false);
  });

  it("payload_too_large inline and presigned, without a client-side pre-check", async () => {
    const { fake, ar } = await start(listen, { maxFileBytes: 1024 });
    const vm = await ar.fork("ubuntu-full");
    const inline = await rejection(vm.sync("/home/user/big", new Uint8Array(1025)));
    expect(inline.code).toBe("payload_too_large");
    expect(inline.status).toBe(413);
    expect(inline.requestId).toBe(fake.requests.at(-1)!.requestId);
    const presigned = await rejection(
      vm.sync("/home/user/bigger", new Uint8Array(4 * 1024 * 1024 + 1)),
    );
    expect(presigned.code).toBe("payload_too_large");
    expect(presigned.status).toBe(413);
    expect(presigned.requestId).toBe(fake.requests.at(-1)!.requestId);
    expect(fake.files(vm.id).exists("/home/user/big")).toBe(false);
    expect(fake.files(vm.id).exists("/home/user/bigger")).toBe(false);
  });

  it("unsupported_operation for durable on a backend without durability", async () => {
    const { fake, ar } = await start(listen, { durability: false });
    expectFromServer(
      await rejection(ar.fork("ubuntu-full", { durable: true })),
      fake,
      "unsupported_operation",
    );
  });

  it.each([
    ["rate_limited", 429],
    ["internal", 500],
    ["not_implemented", 501],
    ["unavailable", 503],
    ["temporarily_unavailable", 503],
    ["routing_unavailable", 503],
  ] as const)("%s (%i) injected by a fault rule", async (code, status) => {
    const { fake, ar } = await start(listen);
    fake.faults.add({
      method: "GET",
      path: "/v1/vms/*",
      effect: { type: "respond", status, code, message: `injected ${code}` },
    });
    const error = await rejection(ar.getVm("vm_whatever"));
    expectFromServer(error, fake, code);
    expect(error.message).toBe(`${code}: injected ${code}`);
    const retryable = status !== 500 && status !== 501;
    expect(error.retryable).toBe(retryable);
    // Transient codes were retried (4 tries in all); the others were not.
    expect(fake.requests.filter((r) => r.path.startsWith("/v1/vms/")).length).toBe(
      retryable ? 4 : 1,
    );
  });

  it("network_error with status 0 when every try's connection is reset", async () => {
    const { fake, ar } = await start(listen);
    fake.faults.add({ path: "/v1/fork", effect: { type: "reset-before" } });
    const error = await rejection(ar.fork("ubuntu-full"));
    expect(error.code).toBe("network_error");
    expect(error.status).toBe(0);
    expect(error.requestId).toBeNull();
    expect(fake.vms.filter((v) => v.owner_org_id === fake.orgId)).toHaveLength(0);
  });

  it("aborted when the caller's signal fires", async () => {
    const { fake, ar } = await start(listen, { clock: "manual" });
    fake.commands.on("forever", () => ({ durationMs: 1_000_000 }));
    const vm = await ar.fork("ubuntu-full");
    const { runId } = await vm.run("forever", { background: true });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const error = await rejection(
      vm.waitForRun(runId, { signal: controller.signal, pollIntervalMs: 10 }),
    );
    expect(error.code).toBe("aborted");
  });

  it("bad_request from client-side validation sends nothing", async () => {
    const { fake, ar } = await start(listen);
    const before = fake.requests.length;
    const vm = ar.vm("vm_x");
    for (const call of [
      () => ar.fork({ sourceVmName: "a", sourceVmId: "vm_b" }),
      () => vm.sync("relative/path", "x"),
      () => vm.sync("/a/../b"),
      () => vm.resize({}),
      () => vm.resize({ memory_mib: 1000 }),
      () => vm.run("true", { timeout: -1 }),
      () => ar.listVms({ limit: 0 }),
    ]) {
      const error = await rejection(call());
      expect(error.code).toBe("bad_request");
      expect(error.status).toBe(400);
      expect(error.requestId).toBeNull();
    }
    expect(fake.requests.length).toBe(before);
  });
});
