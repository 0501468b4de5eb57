import type { GoldenName, Region } from "@arker-ai/core";
import { afterEach, describe, expect, expectTypeOf, it } from "vitest";
import { cleanup, rejection, sendJson, setup } from "../../../test-support/local-server";
import { type ForkSource, VmClient } from "../src/index";

afterEach(cleanup);

async function vmWith() {
  const ctx = await setup((_req, res) => sendJson(res, 200, { resized: true }));
  return { ...ctx, vm: new VmClient(ctx.client).vm("vm_1") };
}

describe("resize takes fork's camelCase names and the wire's", () => {
  it("sends { vcpuCount, memoryMib, diskMib } as the wire's fields", async () => {
    const { server, vm } = await vmWith();
    await vm.resize({ vcpuCount: 4, memoryMib: 4096, diskMib: 20_480 });
    await vm.resize({ vcpu_count: 2, memory_mib: 2048 });
    expect(server.seen.map((r) => r.json)).toEqual([
      { vcpu_count: 4, memory_mib: 4096, disk_mib: 20_480 },
      { vcpu_count: 2, memory_mib: 2048 },
    ]);
  });

  it("names the field as spelt; two spellings must agree", async () => {
    const { server, vm } = await vmWith();
    const bad = await rejection(vm.resize({ memoryMib: 100 }));
    expect(bad.message).toContain("memoryMib must be an integer from 256");
    const clash = await rejection(vm.resize({ vcpuCount: 2, vcpu_count: 4 }));
    expect(clash.message).toContain("vcpuCount and vcpu_count with different values");
    await vm.resize({ vcpuCount: 2, vcpu_count: 2 });
    expect(server.seen).toHaveLength(1);
  });
});

describe("sync(path, undefined)", () => {
  it("is a bad_request, not a read", async () => {
    const { server, vm } = await vmWith();
    const error = await rejection(vm.sync("/tmp/x", undefined as unknown as string));
    expect(error.code).toBe("bad_request");
    expect(error.message).toContain("data is undefined");
    expect(server.seen).toHaveLength(0);
  });
});

describe("names typed as literal unions that accept any string", () => {
  it("golden names and regions complete, and other strings still compile", () => {
    expectTypeOf<"ubuntu-full">().toExtend<GoldenName>();
    expectTypeOf<"my-own-vm">().toExtend<GoldenName>();
    expectTypeOf<"ubuntu-full">().toExtend<ForkSource>();
    expectTypeOf<"us-west-2">().toExtend<Region>();
    expectTypeOf<"aws-burst-us-west-2">().toExtend<Region>();
    expectTypeOf<"eu-central-1">().toExtend<Region>();
    expectTypeOf<GoldenName>().not.toEqualTypeOf<string>();
  });
});
