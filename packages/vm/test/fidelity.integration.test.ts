import { ArkerClient } from "@arker-ai/core";
import { createFakeArker, type FakeArker, startFakeServer } from "@arker-ai/testing";
import { afterEach, describe, expect, it } from "vitest";
import { VmClient } from "../src/index";

// Issue 11 through the SDK: what the fidelity items change for a caller of vm.
const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

async function vmsOver(listen: boolean): Promise<{ fake: FakeArker; vms: VmClient }> {
  const fake = await createFakeArker({ listen, python: false });
  const client = new ArkerClient({ ...fake.clientOptions, logLevel: "off" });
  open.push(client, fake);
  return { fake, vms: new VmClient(client) };
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const stdout = async (promise: Promise<{ type: string; stdout?: Uint8Array }>) => {
  const result = await promise;
  return result.type === "completed" && result.stdout ? text(result.stdout) : result.type;
};

describe.each([
  ["in-process", false],
  ["listening", true],
])("issue 11 through the SDK (%s)", (_door, listen) => {
  it("a fork's info has no size, get has it; a resize during a run succeeds", async () => {
    const { vms } = await vmsOver(listen);
    const vm = await vms.fork("ubuntu");
    expect(vm.info).not.toBeNull();
    expect(vm.info).not.toHaveProperty("vcpu_count");
    await vm.run("sleep 30", { background: true });
    await vm.resize({ vcpu_count: 4 });
    expect(await vm.get()).toMatchObject({ vcpu_count: 4, state: "running" });
  });

  it("mounts a filesystem by name, created when asked, at /mnt/<name> by default", async () => {
    const { vms } = await vmsOver(listen);
    const vm = await vms.fork("ubuntu");
    const mount = await vm.createSync({ filesystemName: "shared", createIfMissing: true });
    expect(mount.path).toBe("/mnt/shared");
    await vm.writeFile("/mnt/shared/a.txt", "hi\n");
    const other = await vms.fork("ubuntu");
    await other.createSync({ filesystemName: "shared", path: "/data" });
    expect(text(await other.readFile("/data/a.txt"))).toBe("hi\n");
    const missing = await other.createSync({ filesystemName: "absent" }).catch((e) => e);
    expect(missing.code).toBe("not_found");
  });

  it("a run's cwd is its own, and exit leaves the session as it was", async () => {
    const { vms } = await vmsOver(listen);
    const vm = await vms.fork("ubuntu");
    expect(await stdout(vm.run("pwd", { cwd: "/tmp" }))).toBe("/tmp\n");
    expect(await stdout(vm.run("pwd"))).toBe("/home/user\n");
    await vm.run("echo out; exit 3");
    expect(await stdout(vm.run("pwd"))).toBe("/home/user\n");
  });
});

describe("the control host (item 1)", () => {
  it("a client built from startFakeServer().env alone lists VMs on the fake", async () => {
    const server = await startFakeServer({ python: false });
    open.push(server);
    expect(server.env.ARKER_CONTROL_BASE_URL).toBe(server.url);
    const client = new ArkerClient({ env: server.env, logLevel: "off" });
    open.push(client);
    expect(client.controlBaseUrl).toBe(server.url);
    const vms = new VmClient(client);
    const vm = await vms.fork("ubuntu");
    const page = await vms.listVms();
    expect(page.items.map((info) => info.vm_id)).toEqual([vm.id]);
  });
});
