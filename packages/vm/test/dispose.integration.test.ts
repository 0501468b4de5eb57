import { ArkerClient, ArkerError } from "@arker-ai/core";
import { asyncDispose, asyncDisposeOf } from "@arker-ai/core/internal";
import { createFakeArker, type FakeArker } from "@arker-ai/testing";
import { afterEach, describe, expect, it } from "vitest";
import { VmClient } from "../src/index";

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

async function vmsOver(
  listen: boolean,
): Promise<{ fake: FakeArker; vms: VmClient; client: ArkerClient }> {
  const fake = await createFakeArker({ listen, python: false });
  const client = new ArkerClient({ region: "us-west-2", ...fake.clientOptions, logLevel: "off" });
  open.push(client, fake);
  return { fake, vms: new VmClient(client), client };
}

const ownVms = (fake: FakeArker) => fake.vms.filter((v) => v.owner_org_id === fake.orgId);

describe("the async disposer key", () => {
  it("is the runtime's Symbol.asyncDispose when it has one", () => {
    expect(asyncDispose).toBe(Symbol.asyncDispose);
  });

  it("falls back to Symbol.for('Symbol.asyncDispose') as TypeScript and esbuild do", () => {
    expect(asyncDisposeOf({})).toBe(Symbol.for("Symbol.asyncDispose"));
    const own = Symbol("own");
    expect(asyncDisposeOf({ asyncDispose: own })).toBe(own);
  });
});

describe.each([
  ["in-process", false],
  ["listening", true],
])("await using against the fake (%s)", (_door, listen) => {
  it("deletes a VM, a session, a mount and a tunnel when the scope ends", async () => {
    const { fake, vms, client } = await vmsOver(listen);
    const { data } = await client.call("createFilesystem", { body: { name: "data" } });
    const filesystemId = (data as { filesystem_id: string }).filesystem_id;
    const keeper = await vms.fork("ubuntu");
    {
      await using session = await keeper.createSession();
      await using mount = await keeper.createSync({ filesystemId, path: "/data" });
      await using tunnel = await keeper.createTunnel(8080);
      expect((await keeper.listTunnels()).items.map((t) => t.port)).toEqual([tunnel.port]);
      expect(Object.keys(session)).not.toContain(String(Symbol.asyncDispose));
      expect((await keeper.listSessions()).items.map((s) => s.session_id)).toContain(
        session.session_id,
      );
      expect((await keeper.listSyncs()).items).toHaveLength(1);
      void mount;
    }
    expect((await keeper.listSyncs()).items).toHaveLength(0);
    expect((await keeper.listTunnels()).items).toHaveLength(0);
    expect((await keeper.listSessions()).items).toHaveLength(1); // the default session
    {
      await using vm = await vms.fork("ubuntu");
      expect(ownVms(fake).map((v) => v.vm_id)).toContain(vm.id);
    }
    expect(ownVms(fake).map((v) => v.vm_id)).toEqual([keeper.id]);
  });

  it("a VM deleted inside the scope: not_found on exit counts as done", async () => {
    const { fake, vms } = await vmsOver(listen);
    {
      await using vm = await vms.fork("ubuntu");
      await vm.delete();
    }
    expect(ownVms(fake)).toHaveLength(0);
  });

  it("other failures of the delete still reach the caller", async () => {
    const { fake, vms } = await vmsOver(listen);
    const vm = await vms.fork("ubuntu");
    fake.faults.add({
      method: "DELETE",
      path: `/v1/vms/${vm.id}`,
      effect: { type: "respond", status: 403, code: "forbidden" },
    });
    const error = await vm[Symbol.asyncDispose]().catch((e: unknown) => e);
    expect(ArkerError.is(error) && error.code).toBe("forbidden");
  });
});
