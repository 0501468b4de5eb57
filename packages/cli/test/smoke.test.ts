import { stat } from "node:fs/promises";
import { join } from "node:path";
import { createFakeArker, type FakeArker } from "@arker-ai/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFor, requireBuiltBinary, spawnArker, temporaryHome } from "./harness";

// One spawned-binary test per command family: the built `arker` starts, parses, talks
// to a server and exits with the right code. Behaviour is pinned in process elsewhere.
let fake: FakeArker;
let spawned: ReturnType<typeof cliFor>;
let inProcess: ReturnType<typeof cliFor>;

beforeAll(async () => {
  requireBuiltBinary();
  fake = await createFakeArker({ listen: true, python: false });
  const home = await temporaryHome();
  spawned = cliFor({ url: fake.url!, apiKey: fake.apiKey }, home, true);
  inProcess = cliFor({ url: fake.url!, apiKey: fake.apiKey }, home);
});

afterAll(async () => {
  await fake?.close();
});

/** Runs in process and expects success (the setup of a smoke test). */
async function ok(args: string[], options?: Parameters<typeof inProcess>[1]) {
  const result = await inProcess(args, options);
  expect(result.code, `arker ${args.join(" ")}: ${result.stderr}`).toBe(0);
  return result;
}

// Each test spawns the binary once; its setup runs in process.
describe.concurrent("the built binary", () => {
  it("vm: fork prints the new VM id", async () => {
    const fork = await spawned(["fork", "ubuntu", "--name", "smoke"]);
    expect(fork.code, fork.stderr).toBe(0);
    expect(fork.text).toMatch(/^vm_[0-9A-Z]{26}\n$/);
    expect(fake.vms.find((vm) => vm.vm_id === fork.text.trim())?.name).toBe("smoke");
  });

  it("run: the remote bytes on stdout and stderr, and the remote exit code", async () => {
    const vm = (await ok(["fork", "ubuntu"])).text.trim();
    const run = await spawned(["run", vm, "--", "sh", "-c", "echo out; echo err >&2; exit 3"]);
    expect(run.code).toBe(3);
    expect(run.text).toBe("out\n");
    expect(run.stderr).toBe("err\n");
  });

  it("files: sync reads a file's bytes to stdout unchanged", async () => {
    const vm = (await ok(["fork", "ubuntu"])).text.trim();
    const bytes = Buffer.from([0, 1, 2, 255, 10]);
    await ok(["sync", vm, "/tmp/smoke.bin", "-"], { stdin: bytes });
    const read = await spawned(["sync", vm, "/tmp/smoke.bin"]);
    expect(read.code, read.stderr).toBe(0);
    expect(read.stdout.equals(bytes)).toBe(true);
  });

  it("sessions: create prints the session id", async () => {
    const vm = (await ok(["fork", "ubuntu"])).text.trim();
    const session = await spawned(["sessions", "create", vm, "--cwd", "/tmp"]);
    expect(session.code, session.stderr).toBe(0);
    expect(session.text).toMatch(/^sess_\S+\n$/);
  });

  it("filesystems: fs create prints the filesystem id", async () => {
    const created = await spawned(["fs", "create", "smoke"]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.text).toMatch(/^fs_\S+\n$/);
  });

  it("mounts: syncs ls prints the table", async () => {
    const vm = (await ok(["fork", "ubuntu"])).text.trim();
    const fs = (await ok(["fs", "create", `smoke-${vm}`])).text.trim();
    const sync = (await ok(["syncs", "create", vm, fs, "/mnt/smoke"])).text.trim();
    const listed = await spawned(["syncs", "ls", vm]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.text).toContain(`${sync}  ${fs}  /mnt/smoke`);
  });

  it("config: set writes a 0600 file", async () => {
    const home = await temporaryHome();
    const set = await spawnArker(["config", "set", "region", "us-west-2"], { env: { HOME: home } });
    expect(set.code, set.stderr).toBe(0);
    expect((await stat(join(home, ".config", "arker", "config.json"))).mode & 0o777).toBe(0o600);
  });
});
