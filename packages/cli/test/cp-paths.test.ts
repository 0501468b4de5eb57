import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFakeArker, type FakeArker } from "@arker-ai/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFor, temporaryHome } from "./harness";

let fake: FakeArker;
let cli: ReturnType<typeof cliFor>;
let local: string;

beforeAll(async () => {
  fake = await createFakeArker({ listen: true, python: false });
  cli = cliFor({ url: fake.url!, apiKey: fake.apiKey }, await temporaryHome());
  local = await mkdtemp(join(tmpdir(), "arker-cp-paths-"));
});

afterAll(async () => {
  await fake?.close();
  if (local) await rm(local, { recursive: true, force: true });
});

async function forkVm(): Promise<string> {
  return (await cli(["fork", "ubuntu"])).text.trim();
}

describe("arker cp: which side is which, and trailing slashes", () => {
  it("a local path with a / before the colon stays local (./a:/b is no VM)", async () => {
    const vm = await forkVm();
    const result = await cli(["cp", "./no-such:/file", `${vm}:/tmp/x`]);
    expect(result.stderr).not.toContain("exactly one side");
    expect(result.code).not.toBe(0);
  });

  it("a VM path with a .. segment is a usage error before anything is sent", async () => {
    const vm = await forkVm();
    const file = join(local, "dots.txt");
    await writeFile(file, "x");
    const result = await cli(["cp", file, `${vm}:/home/../etc/x`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('must not contain a ".." segment');
  });

  // entries counts what is inside the folder, not the folder itself.
  it("into a VM folder ending in /: the source's own name, a trailing / on it dropped", async () => {
    const vm = await forkVm();
    const folder = join(local, "bundle");
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, "a.txt"), "alpha\n");
    const up = await cli(["cp", `${folder}//`, `${vm}:/home/user/`]);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toBe(`copied 1 entry, 6 bytes to ${vm}:/home/user/bundle\n`);
    const ran = await cli(["run", vm, "--", "cat", "/home/user/bundle/a.txt"]);
    expect(ran.text).toBe("alpha\n");
  });

  it("out of a VM folder ending in / into a local folder: under the VM folder's name", async () => {
    const vm = await forkVm();
    await cli(["run", vm, "--", "sh", "-c", "mkdir -p /srv/out && printf hi > /srv/out/f"]);
    const target = await mkdtemp(join(local, "down-"));
    const down = await cli(["cp", `${vm}:/srv/out//`, target]);
    expect(down.code, down.stderr).toBe(0);
    expect(await readFile(join(target, "out", "f"), "utf8")).toBe("hi");
    expect(down.stderr).toBe(`copied 1 entry, 2 bytes to ${join(target, "out")}\n`);
  });

  it("a single file's message has no entry count", async () => {
    const vm = await forkVm();
    const file = join(local, "one.txt");
    await writeFile(file, "abc");
    const up = await cli(["cp", file, `${vm}:/tmp/one.txt`]);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toBe(`copied 3 bytes to ${vm}:/tmp/one.txt\n`);
  });

  it("out of a VM to a local path that does not exist yet: that path is the file", async () => {
    const vm = await forkVm();
    await cli(["run", vm, "--", "sh", "-c", "printf hey > /tmp/got"]);
    const target = join(await mkdtemp(join(local, "new-")), "renamed.txt");
    const down = await cli(["cp", `${vm}:/tmp/got`, target]);
    expect(down.code, down.stderr).toBe(0);
    expect(await readFile(target, "utf8")).toBe("hey");
  });
});
