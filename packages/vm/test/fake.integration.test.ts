import { ArkerClient, INLINE_FILE_LIMIT_BYTES } from "@arker-ai/core";
import { createFakeArker, type FakeArker } from "@arker-ai/testing";
import { afterEach, describe, expect, it } from "vitest";
import { VmClient } from "../src/index";

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

async function vmsOver(listen: boolean): Promise<{ fake: FakeArker; vms: VmClient }> {
  const fake = await createFakeArker({ listen, python: false });
  const client = new ArkerClient({ region: "us-west-2", ...fake.clientOptions, logLevel: "off" });
  open.push(client, fake);
  return { fake, vms: new VmClient(client) };
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

// The second way of use: core + vm only, no umbrella and no filesystems package.
describe.each([
  ["in-process", false],
  ["listening", true],
])("core + vm against the fake (%s)", (_door, listen) => {
  it("forks, runs, moves files both ways and forks a child that sees them", async () => {
    const { fake, vms } = await vmsOver(listen);
    const vm = await vms.fork("ubuntu-full");
    expect(fake.vms.find((v) => v.vm_id === vm.id)?.root_source_vm_name).toBe("ubuntu-full");

    const run = await vm.run("echo 4");
    expect(run.type === "completed" && text(run.stdout)).toBe("4\n");

    const big = new Uint8Array(INLINE_FILE_LIMIT_BYTES + 1).map((_, i) => i % 251);
    await vm.writeFile("/home/user/big.bin", big);
    await vm.writeFile("/home/user/small.txt", "small\n");
    const child = await vm.fork({ name: "child" });
    expect(Buffer.from(await child.readFile("/home/user/big.bin")).equals(Buffer.from(big))).toBe(
      true,
    );
    expect(text(await child.sync("/home/user/small.txt"))).toBe("small\n");

    const listed: string[] = [];
    for await (const info of await vms.listVms()) listed.push(info.vm_id);
    expect(listed).toEqual(expect.arrayContaining([vm.id, child.id]));
    await child.delete();
    await vm.delete();
    expect(fake.vms.filter((v) => v.owner_org_id === fake.orgId)).toHaveLength(0);
  });

  it("reports upload and download progress up to the file size", async () => {
    const { vms } = await vmsOver(listen);
    const vm = await vms.fork("ubuntu");
    const size = INLINE_FILE_LIMIT_BYTES * 2 + 3;
    const up: number[] = [];
    const down: number[] = [];
    await vm.writeFile("/home/user/p.bin", new Uint8Array(size), {
      onProgress: (p) => {
        expect(p.totalBytes).toBe(size);
        up.push(p.transferredBytes);
      },
    });
    await vm.readFile("/home/user/p.bin", { onProgress: (p) => down.push(p.transferredBytes) });
    for (const series of [up, down]) {
      expect(series.at(-1)).toBe(size);
      expect([...series].sort((a, b) => a - b)).toEqual(series);
    }
  });
});
