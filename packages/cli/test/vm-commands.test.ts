import { createFakeArker, type FakeArker } from "@arker-ai/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliRun, cliFor, requireBuiltBinary, temporaryHome } from "./harness";

let fake: FakeArker;
let cli: ReturnType<typeof cliFor>;
let home: string;

beforeAll(async () => {
  requireBuiltBinary();
  fake = await createFakeArker({ listen: true, python: false });
  home = await temporaryHome();
  cli = cliFor({ url: fake.url!, apiKey: fake.apiKey }, home);
});

afterAll(async () => {
  await fake?.close();
});

/** A CLI bound to a fresh org of the fake, so list counts are not disturbed by other tests. */
function isolatedCli() {
  const org = fake.addOrg();
  return { org, cli: cliFor({ url: fake.url!, apiKey: org.apiKey }, home) };
}

async function forkVm(name?: string): Promise<string> {
  const result = await cli(["fork", "ubuntu", ...(name ? ["--name", name] : [])]);
  expect(result.code, result.stderr).toBe(0);
  return result.text.trim();
}

function expectError(result: CliRun, code: number, pattern: RegExp) {
  expect(result.code, result.stderr).toBe(code);
  expect(result.stderr).toMatch(pattern);
}

describe.concurrent("fork", () => {
  it("prints only the new VM id", async () => {
    const result = await cli(["fork", "ubuntu", "--name", "plain"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.text).toMatch(/^vm_[0-9A-Z]{26}\n$/);
    expect(fake.vms.find((vm) => vm.vm_id === result.text.trim())?.name).toBe("plain");
  });

  it("--json prints the VM and passes every flag", async () => {
    const result = await cli([
      "fork",
      "ubuntu",
      "--json",
      "--name",
      "sized",
      "--durable",
      "--public",
      "--vcpus",
      "4",
      "--memory-mib",
      "8192",
      "--disk-mib",
      "20480",
      "--source-org-id",
      "ArkerHQ",
    ]);
    expect(result.code, result.stderr).toBe(0);
    const vm = result.json();
    expect(vm).toMatchObject({
      name: "sized",
      durable: true,
      public: true,
      root_source_vm_name: "ubuntu",
      owner_org_id: fake.orgId,
    });
    expect(vm.vm_id).toMatch(/^vm_/);
    // The fork answer carries no sizes (docs/arker-api.md, as the real API): read them back.
    const got = await cli(["get", vm.vm_id as string, "--json"]);
    expect(got.json()).toMatchObject({ vcpu_count: 4, memory_mib: 8192, disk_mib: 20480 });
  });

  it("forks a VM of one's own by id, and replays an idempotency key", async () => {
    const parent = await forkVm("parent");
    const first = await cli(["fork", parent, "--idempotency-key", `key-${parent}`, "--json"]);
    const second = await cli(["fork", parent, "--idempotency-key", `key-${parent}`, "--json"]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.json().vm_id).toBe(second.json().vm_id);
    expect(first.json().vm_id).not.toBe(parent);
  });

  it("fails with not_found (exit 5) for an unknown source", async () => {
    expectError(await cli(["fork", "vm_00000000000000000000000000"]), 5, /^arker: not_found: /m);
  });

  it("rejects a bad --vcpus as a usage error (exit 2)", async () => {
    expectError(
      await cli(["fork", "ubuntu", "--vcpus", "0"]),
      2,
      /--vcpus must be between 1 and 64/,
    );
  });
});

describe.concurrent("ls", () => {
  it("prints an aligned table of the org's VMs", async () => {
    const { cli: own } = isolatedCli();
    const a = (await own(["fork", "ubuntu", "--name", "alpha"])).text.trim();
    const b = (await own(["fork", "ubuntu", "--name", "a-much-longer-name"])).text.trim();
    const result = await own(["ls"]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.text.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      /^ID\s+NAME\s+STATE\s+VCPUS\s+MEMORY\s+DISK\s+REGION\s+SOURCE\s+CREATED$/,
    );
    expect(lines).toHaveLength(3);
    // Newest first, and every column starts at the same offset on every line.
    expect(lines[1]).toContain(b);
    expect(lines[2]).toContain(a);
    const nameColumn = lines[0]!.indexOf("NAME");
    expect(lines[1]!.indexOf("a-much-longer-name")).toBe(nameColumn);
    expect(lines[2]!.indexOf("alpha")).toBe(nameColumn);
    const stateColumn = lines[0]!.indexOf("STATE");
    expect(lines[1]!.slice(stateColumn, stateColumn + 4)).toBe("idle");
    expect(lines[2]!.slice(stateColumn, stateColumn + 4)).toBe("idle");
    expect(result.stderr).toBe("");
  });

  it("--json prints { vms, nextCursor }; --limit pages, --cursor continues, --all walks", async () => {
    const { cli: own } = isolatedCli();
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) ids.push((await own(["fork", "ubuntu"])).text.trim());
    const all = (await own(["ls", "--json"])).json<{
      vms: Array<{ vm_id: string }>;
      nextCursor: null;
    }>();
    expect(all.vms.map((vm) => vm.vm_id)).toEqual([...ids].reverse());
    expect(all.nextCursor).toBeNull();

    const first = await own(["ls", "--json", "--limit", "2"]);
    const page = first.json<{ vms: Array<{ vm_id: string }>; nextCursor: string }>();
    expect(page.vms).toHaveLength(2);
    expect(page.nextCursor).toEqual(expect.any(String));
    const rest = (await own(["ls", "--json", "--limit", "2", "--cursor", page.nextCursor])).json<{
      vms: Array<{ vm_id: string }>;
      nextCursor: null;
    }>();
    expect([...page.vms, ...rest.vms].map((vm) => vm.vm_id)).toEqual(all.vms.map((vm) => vm.vm_id));
    expect(rest.nextCursor).toBeNull();

    const walked = (await own(["ls", "--json", "--limit", "1", "--all"])).json<{
      vms: Array<{ vm_id: string }>;
      nextCursor: null;
    }>();
    expect(walked.vms.map((vm) => vm.vm_id)).toEqual(all.vms.map((vm) => vm.vm_id));
    expect(walked.nextCursor).toBeNull();

    const human = await own(["ls", "--limit", "1"]);
    expect(human.text.trimEnd().split("\n")).toHaveLength(2);
    expect(human.stderr).toMatch(/more results: add --all, or --cursor \S+/);
  });

  it("--state filters, --source-org-id lists the public goldens", async () => {
    const { cli: own } = isolatedCli();
    await own(["fork", "ubuntu"]);
    const idle = (await own(["ls", "--state", "idle", "--json"])).json<{ vms: unknown[] }>();
    const running = (await own(["ls", "--state", "running", "--json"])).json<{ vms: unknown[] }>();
    expect(idle.vms).toHaveLength(1);
    expect(running.vms).toHaveLength(0);
    const goldens = (await own(["ls", "--source-org-id", "ArkerHQ", "--all", "--json"])).json<{
      vms: Array<{ name: string }>;
    }>();
    expect(goldens.vms.map((vm) => vm.name)).toContain("ubuntu-full");
    expectError(await own(["ls", "--state", "stopped"]), 2, /--state must be one of idle, running/);
  });
});

describe.concurrent("get, resize, rm", () => {
  it("get prints aligned key/values, --json the VM object", async () => {
    const vm = await forkVm("shown");
    const human = await cli(["get", vm]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.text).toMatch(new RegExp(`^id {8}${vm}\\nname {6}shown\\nstate {5}idle\\n`));
    const json = (await cli(["get", vm, "--json"])).json();
    const snapshot = fake.vms.find((entry) => entry.vm_id === vm)!;
    expect(json).toMatchObject({ vm_id: vm, name: "shown", vcpu_count: snapshot.vcpu_count });
  });

  it("get of an unknown VM exits 5 with the request id, and --json adds an error document", async () => {
    const missing = "vm_00000000000000000000000000";
    const result = await cli(["get", missing]);
    expectError(result, 5, /^arker: not_found: .+ \(request req_[0-9A-Z]+\)$/m);
    expect(result.text).toBe("");
    const json = await cli(["get", missing, "--json"]);
    expect(json.code).toBe(5);
    expect(json.json()).toEqual({
      error: {
        code: "not_found",
        message: expect.any(String),
        status: 404,
        requestId: expect.stringMatching(/^req_/),
      },
    });
  });

  it("resize changes the VM; no size flag is a usage error", async () => {
    const vm = await forkVm();
    const result = await cli([
      "resize",
      vm,
      "--vcpus",
      "8",
      "--memory-mib",
      "16384",
      "--disk-mib",
      "20480",
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`resized ${vm}`);
    expect(fake.vms.find((entry) => entry.vm_id === vm)).toMatchObject({
      vcpu_count: 8,
      memory_mib: 16384,
      disk_mib: 20480,
    });
    const json = await cli(["resize", vm, "--vcpus", "2", "--json"]);
    expect(json.json()).toEqual({ vmId: vm, resized: true, vcpu_count: 2 });
    expectError(await cli(["resize", vm]), 2, /at least one of --vcpus/);
    expectError(await cli(["resize", vm, "--disk-mib", "1024"]), 1, /^arker: bad_request: /m);
  });

  it("rm deletes several VMs, goes on after a failure and exits with its code", async () => {
    const a = await forkVm();
    const b = await forkVm();
    const missing = "vm_00000000000000000000000000";
    const result = await cli(["rm", "--yes", a, missing, b]);
    expect(result.code).toBe(5);
    expect(result.text).toBe(`${a}\n${b}\n`);
    expect(result.stderr).toMatch(/^arker: not_found: /m);
    expect(fake.vms.some((vm) => vm.vm_id === a || vm.vm_id === b)).toBe(false);

    const c = await forkVm();
    const json = await cli(["rm", "-y", c, "--json"]);
    expect(json.code, json.stderr).toBe(0);
    expect(json.json()).toEqual({ deleted: [c], failed: [] });
    const again = await cli(["rm", "-y", c, "--json"]);
    expect(again.code).toBe(5);
    expect(again.json()).toEqual({
      deleted: [],
      failed: [{ id: c, error: expect.objectContaining({ code: "not_found", status: 404 }) }],
    });
  });

  // README: rm "exits with the first failure's code" — in both orders, so neither the last
  // failure nor the larger (or smaller) code can pass for it.
  it("rm with two failures of different codes exits with the first one's code", async () => {
    const golden = fake.vms.find((vm) => vm.owner_org_id === "ArkerHQ")!.vm_id;
    const missing = "vm_00000000000000000000000001";
    const mine = await forkVm();
    const notFoundFirst = await cli(["rm", "--yes", missing, mine, golden]);
    expect(notFoundFirst.code).toBe(5);
    expect(notFoundFirst.text).toBe(`${mine}\n`);
    expect(notFoundFirst.stderr).toMatch(/^arker: not_found: [\s\S]*^arker: forbidden: /m);
    const forbiddenFirst = await cli(["rm", "--yes", golden, missing, "--json"]);
    expect(forbiddenFirst.code).toBe(4);
    expect(forbiddenFirst.json()).toEqual({
      deleted: [],
      failed: [
        { id: golden, error: expect.objectContaining({ code: "forbidden", status: 403 }) },
        { id: missing, error: expect.objectContaining({ code: "not_found", status: 404 }) },
      ],
    });
  });
});
