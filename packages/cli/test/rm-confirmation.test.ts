import { createFakeArker, type FakeArker } from "@arker-ai/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFor, temporaryHome } from "./harness";

let fake: FakeArker;
let cli: ReturnType<typeof cliFor>;

beforeAll(async () => {
  fake = await createFakeArker({ listen: true, python: false });
  cli = cliFor({ url: fake.url!, apiKey: fake.apiKey }, await temporaryHome());
});

afterAll(async () => {
  await fake?.close();
});

async function forkVm(): Promise<string> {
  const result = await cli(["fork", "ubuntu"]);
  expect(result.code, result.stderr).toBe(0);
  return result.text.trim();
}

const exists = (id: string) => fake.vms.some((vm) => vm.vm_id === id);

describe.concurrent("rm asks first", () => {
  it("refuses without --yes when stdin is not a terminal: usage error, exit 2, nothing deleted", async () => {
    const vm = await forkVm();
    const result = await cli(["rm", vm]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^arker: usage: refusing to delete 1 VM .*pass --yes \(-y\)$/m);
    expect(exists(vm)).toBe(true);
    const json = await cli(["rm", vm, "--json"]);
    expect(json.code).toBe(2);
    expect(json.json()).toMatchObject({ error: { code: "usage" } });
  });

  it("every rm refuses the same way (fs, syncs, sessions)", async () => {
    const vm = await forkVm();
    for (const args of [
      ["fs", "rm", "fs_1"],
      ["syncs", "rm", vm, "sync_1"],
      ["mounts", "rm", vm, "sync_1"],
      ["sessions", "rm", vm, "sess_1"],
    ]) {
      const result = await cli(args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(/pass --yes/);
    }
  });

  it("on a terminal asks and deletes after y", async () => {
    const vm = await forkVm();
    const result = await cli(["rm", vm], { stdinIsTTY: true, stdin: "y\n" });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`delete 1 VM (${vm})? [y/N] `);
    expect(result.text).toBe(`${vm}\n`);
    expect(exists(vm)).toBe(false);
  });

  it("on a terminal any other answer (or none) deletes nothing and exits 1", async () => {
    for (const stdin of ["n\n", "\n", "", "yes please\n", "okay\n"]) {
      const vm = await forkVm();
      const result = await cli(["rm", vm], { stdinIsTTY: true, stdin });
      expect(result.code, JSON.stringify(stdin)).toBe(1);
      expect(result.stderr).toMatch(/arker: declined: nothing was deleted\n$/);
      expect(exists(vm)).toBe(true);
    }
  });

  it("--yes and -y skip the question, also on a terminal", async () => {
    const a = await forkVm();
    const b = await forkVm();
    const asked = await cli(["rm", a, b], { stdinIsTTY: true, stdin: "no\n" });
    expect(asked.stderr).toContain(`delete 2 VMs (${a}, ${b})? [y/N] `);
    const result = await cli(["rm", "-y", a, b], { stdinIsTTY: true });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain("[y/N]");
    expect(exists(a) || exists(b)).toBe(false);
  });

  it("an answer with spaces around y counts as yes", async () => {
    const vm = await forkVm();
    const result = await cli(["rm", vm], { stdinIsTTY: true, stdin: "  Y \n" });
    expect(result.code, result.stderr).toBe(0);
    expect(exists(vm)).toBe(false);
  });

  it("the question names one of a noun by its final s only (1 session, not 1 essions)", async () => {
    const vm = await forkVm();
    const session = (await cli(["sessions", "create", vm])).text.trim();
    const result = await cli(["sessions", "rm", vm, session], { stdinIsTTY: true, stdin: "n\n" });
    expect(result.stderr).toContain(`delete 1 session (${session})? [y/N] `);
  });
});
