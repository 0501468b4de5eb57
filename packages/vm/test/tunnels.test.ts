import { ArkerClient, ArkerError } from "@arker-ai/core";
import { createFakeArker, type FakeArker } from "@arker-ai/testing";
import { afterEach, describe, expect, it } from "vitest";
import { VmClient } from "../src/index";

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

async function vmsOver(listen: boolean): Promise<{ fake: FakeArker; vms: VmClient }> {
  const fake = await createFakeArker({ listen, python: false, clock: "manual" });
  const client = new ArkerClient({ region: "us-west-2", ...fake.clientOptions, logLevel: "off" });
  open.push(client, fake);
  return { fake, vms: new VmClient(client) };
}

describe.each([
  ["in-process", false],
  ["listening", true],
])("vm tunnels against the fake (%s)", (_door, listen) => {
  it("creates, lists, gets and deletes a tunnel whose url serves the VM's port", async () => {
    const { fake, vms } = await vmsOver(listen);
    const vm = await vms.fork("ubuntu");
    fake.tunnels.serve(vm.id, 8080, (inside) => new Response(`hi ${new URL(inside.url).pathname}`));
    const tunnel = await vm.createTunnel(8080, { visibility: "public" });
    expect(tunnel).toMatchObject({
      vm_id: vm.id,
      port: 8080,
      visibility: "public",
      protocol: "http",
      state: "open",
    });
    // In-process, the global fetch reaches the tunnel through the fake's dispatcher.
    const init = (listen ? {} : { dispatcher: fake.dispatcher }) as RequestInit;
    const answer = await fetch(`${tunnel.url}status`, init);
    expect(await answer.text()).toBe("hi /status");
    await vm.createTunnel(22, { protocol: "tcp" });
    const page = await vm.listTunnels({ limit: 1 });
    expect(page.items.map((one) => one.port)).toEqual([22]);
    const all: number[] = [];
    for await (const one of page) all.push(one.port);
    expect(all).toEqual([22, 8080]);
    expect((await vm.listTunnels({ state: "closed" })).items).toEqual([]);
    expect(await vm.getTunnel(8080)).toEqual(tunnel);
    await vm.deleteTunnel(8080);
    const missing = await vm.getTunnel(8080).catch((error: unknown) => error);
    expect(ArkerError.is(missing) && missing.code).toBe("not_found");
  });
});

describe("tunnel arguments", () => {
  it("are checked before sending", async () => {
    const { fake, vms } = await vmsOver(false);
    const vm = vms.vm("vm_x");
    const before = fake.requests.length;
    const cases: Array<Promise<unknown>> = [
      vm.createTunnel(0),
      vm.createTunnel(65_536),
      vm.createTunnel(80.5),
      vm.createTunnel("80" as unknown as number),
      vm.createTunnel(80, { visibility: "world" as "public" }),
      vm.createTunnel(80, { protocol: "udp" as "tcp" }),
      vm.getTunnel(-1),
      vm.deleteTunnel(Number.NaN),
      vm.listTunnels({ state: "gone" as "open" }),
      vm.createTunnel(80, { visibilty: "public" } as never),
      vm.listTunnels({ port: 80 } as never),
      vm.getTunnel(80, { idempotency_key: "k" } as never),
    ];
    for (const call of cases) {
      const error = await call.catch((caught: unknown) => caught);
      expect(ArkerError.is(error) && error.code, String(error)).toBe("bad_request");
    }
    expect(fake.requests.length).toBe(before);
    const typo = await vm.createTunnel(80, { visibilty: "public" } as never).catch((e) => e);
    expect(typo.message).toContain("unknown option visibilty; did you mean visibility?");
  });
});
