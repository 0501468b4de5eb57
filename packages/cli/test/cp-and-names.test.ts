import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFakeArker, type FakeArker } from "@arker-ai/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFor, temporaryHome } from "./harness";

let fake: FakeArker;
let cli: ReturnType<typeof cliFor>;
let local: string;

beforeAll(async () => {
  fake = await createFakeArker({ listen: true, python: false, clock: "manual" });
  cli = cliFor({ url: fake.url!, apiKey: fake.apiKey }, await temporaryHome());
  local = await mkdtemp(join(tmpdir(), "arker-cp-"));
});

afterAll(async () => {
  await fake?.close();
  if (local) await rm(local, { recursive: true, force: true });
});

async function fork(name?: string): Promise<string> {
  const result = await cli(["fork", "ubuntu", ...(name ? ["--name", name] : [])]);
  expect(result.code, result.stderr).toBe(0);
  return result.text.trim();
}

describe("VM names wherever an id is taken", () => {
  it("get, run and resize take a name; an unknown name is not found (exit 5)", async () => {
    const id = await fork("named-box");
    const got = await cli(["get", "named-box", "--json"]);
    expect(got.code, got.stderr).toBe(0);
    expect(JSON.parse(got.text).vm_id).toBe(id);
    const ran = await cli(["run", "named-box", "--", "echo", "hi"]);
    expect(ran.text).toBe("hi\n");
    const resized = await cli(["resize", "named-box", "--vcpus", "4", "--json"]);
    expect(JSON.parse(resized.text).vmId).toBe(id);
    const missing = await cli(["get", "no-such-box"]);
    expect(missing.code).toBe(5);
    expect(missing.stderr).toContain('no VM named "no-such-box"');
  });

  it("an ambiguous name is an error listing the candidates (exit 2)", async () => {
    const a = await fork("twin");
    const b = await fork("twin");
    const result = await cli(["rm", "twin", "--yes"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('2 VMs are named "twin"');
    expect(result.stderr).toContain(a);
    expect(result.stderr).toContain(b);
    expect(fake.vms.filter((vm) => vm.vm_id === a || vm.vm_id === b)).toHaveLength(2);
  });
});

describe("hints", () => {
  it("a golden-name typo gets did you mean", async () => {
    const result = await cli(["fork", "ubuntu-ful"]);
    expect(result.code).toBe(5);
    expect(result.stderr).toContain("did you mean ubuntu-full?");
  });

  it("a subcommand typo gets did you mean", async () => {
    const result = await cli(["frok", "ubuntu"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Did you mean fork?");
  });

  it("run: the remote command's flags without -- get the -- hint", async () => {
    const vm = await fork();
    const result = await cli(["run", vm, "python3", "-c", "print(1)"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '-c'");
    expect(result.stderr).toContain("arker run <vm> -- python3 -c");
  });

  it("run -- echo hi: the missing VM is said as such", async () => {
    const result = await cli(["run", "--", "echo", "hi"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("missing VM argument");
    const bare = await cli(["run"]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain("missing required argument 'vm'");
  });
});

describe("arker cp", () => {
  it("copies a folder up by VM name and back, recursively, modes kept", async () => {
    const id = await fork("cp-box");
    const source = join(local, "project");
    await mkdir(join(source, "lib"), { recursive: true });
    await writeFile(join(source, "lib", "a.txt"), "alpha\n");
    await writeFile(join(source, "run.sh"), "#!/bin/sh\necho ran\n");
    await chmod(join(source, "run.sh"), 0o755);
    const up = await cli(["cp", source, "cp-box:/home/user/project", "--json"]);
    expect(up.code, up.stderr).toBe(0);
    expect(JSON.parse(up.text)).toMatchObject({
      direction: "upload",
      vmId: id,
      kind: "directory",
      entries: 3,
    });
    const ran = await cli(["run", "cp-box", "--", "/home/user/project/run.sh"]);
    expect(ran.text).toBe("ran\n");

    const into = join(local, "back");
    await mkdir(into);
    const down = await cli(["cp", "cp-box:/home/user/project", into]);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stderr).toBe(`copied 3 entries, 25 bytes to ${join(into, "project")}\n`);
    expect(await readFile(join(into, "project", "lib", "a.txt"), "utf8")).toBe("alpha\n");
    expect((await stat(join(into, "project", "run.sh"))).mode & 0o777).toBe(0o755);
  });

  it("a file into a VM folder ending with / keeps its name; two local sides are usage", async () => {
    await fork("cp-file-box");
    await writeFile(join(local, "note.txt"), "note\n");
    const up = await cli(["cp", join(local, "note.txt"), "cp-file-box:/tmp/"]);
    expect(up.code, up.stderr).toBe(0);
    expect((await cli(["run", "cp-file-box", "--", "cat", "/tmp/note.txt"])).text).toBe("note\n");
    const both = await cli(["cp", "a", "b"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("exactly one side is <vm>:<path>");
  });
});
