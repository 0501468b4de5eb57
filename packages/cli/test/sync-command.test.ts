import { randomBytes } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFakeArker, type FakeArker } from "@arker-ai/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFor, requireBuiltBinary, temporaryHome } from "./harness";

let fake: FakeArker;
let cli: ReturnType<typeof cliFor>;
let scratch: string;

beforeAll(async () => {
  requireBuiltBinary();
  fake = await createFakeArker({ listen: true, python: false });
  cli = cliFor({ url: fake.url!, apiKey: fake.apiKey }, await temporaryHome());
  scratch = await mkdtemp(join(tmpdir(), "arker-cli-sync-"));
});

afterAll(async () => {
  await fake?.close();
});

async function forkVm(): Promise<string> {
  const result = await cli(["fork", "ubuntu"]);
  expect(result.code, result.stderr).toBe(0);
  return result.text.trim();
}

const MiB = 1024 * 1024;

describe.concurrent("sync", () => {
  it.each([
    ["1 MiB (inline)", MiB],
    ["5 MiB (presigned upload and download)", 5 * MiB],
    ["0 bytes", 0],
  ])("round-trips %s of random bytes: stdin -> VM -> stdout", async (_label, size) => {
    const vm = await forkVm();
    const bytes = randomBytes(size);
    const write = await cli(["sync", vm, "/home/user/blob.bin", "-"], { stdin: bytes });
    expect(write.code, write.stderr).toBe(0);
    expect(write.text).toBe("");
    expect(write.stderr).toBe(`wrote ${size} bytes to ${vm}:/home/user/blob.bin\n`);
    expect(Buffer.from(fake.files(vm).read("/home/user/blob.bin")!).equals(bytes)).toBe(true);
    const read = await cli(["sync", vm, "/home/user/blob.bin"]);
    expect(read.code, read.stderr).toBe(0);
    expect(read.stdout.length).toBe(size);
    expect(read.stdout.equals(bytes)).toBe(true);
    // Piped stderr: no progress bar, nothing at all.
    expect(read.stderr).toBe("");
  });

  it("writes a local file and shows it to runs; --json shapes for write and read", async () => {
    const vm = await forkVm();
    const local = join(scratch, `hello-${vm}.txt`);
    await writeFile(local, "hello from a file\n");
    const write = await cli(["sync", vm, "/tmp/hello.txt", local, "--json"]);
    expect(write.code, write.stderr).toBe(0);
    expect(write.json()).toEqual({ vmId: vm, path: "/tmp/hello.txt", size: 18, written: true });
    expect((await cli(["run", vm, "--", "cat", "/tmp/hello.txt"])).text).toBe(
      "hello from a file\n",
    );
    const read = await cli(["sync", vm, "/tmp/hello.txt", "--json"]);
    expect(read.json()).toEqual({
      vmId: vm,
      path: "/tmp/hello.txt",
      size: 18,
      encoding: "utf-8",
      content: "hello from a file\n",
    });
    const binary = Buffer.from([0xff, 0xfe, 0, 1]);
    await cli(["sync", vm, "/tmp/b.bin", "-"], { stdin: binary });
    const readBinary = (await cli(["sync", vm, "/tmp/b.bin", "--json"])).json();
    expect(readBinary).toMatchObject({
      size: 4,
      encoding: "base64",
      content: binary.toString("base64"),
    });
  });

  it("a missing VM file is not_found (exit 5); a missing local file is local_io (exit 1)", async () => {
    const vm = await forkVm();
    const missing = await cli(["sync", vm, "/nope/missing.txt"]);
    expect(missing.code).toBe(5);
    expect(missing.stderr).toMatch(/^arker: not_found: file not found: \/nope\/missing\.txt/m);
    expect(missing.text).toBe("");
    const local = await cli(["sync", vm, "/tmp/x", join(scratch, "does-not-exist")]);
    expect(local.code).toBe(1);
    expect(local.stderr).toMatch(/^arker: local_io: cannot read .*does-not-exist: ENOENT$/m);
  });

  it("a relative or .. path is a usage error by the contract's rule (exit 2), never sent", async () => {
    const vm = await forkVm();
    const relative = await cli(["sync", vm, "relative/path"]);
    expect(relative.code).toBe(2);
    expect(relative.stderr).toMatch(/^arker: usage: path must be absolute: relative\/path$/m);
    const dots = await cli(["sync", vm, "/tmp/../etc/passwd", "-"], { stdin: "x" });
    expect(dots.code).toBe(2);
    expect(fake.requests.some((entry) => entry.path.endsWith(`/vms/${vm}/sync`))).toBe(false);
  });
});
