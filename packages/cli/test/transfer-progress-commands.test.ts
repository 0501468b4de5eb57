import { randomBytes } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cliOnSharedFake } from "./harness";

const cli = cliOnSharedFake();
const MiB = 1024 * 1024;
const SHOW_CURSOR = "\u001b[?25h";
let local: string;

beforeAll(async () => {
  local = await mkdtemp(join(tmpdir(), "arker-cli-progress-"));
});

async function forkVm(): Promise<string> {
  const result = await cli(["fork", "ubuntu"]);
  expect(result.code, result.stderr).toBe(0);
  return result.text.trim();
}

/** The bar was drawn under `label` up to 100 %, then stopped: cursor shown, a last newline. */
function expectFinishedBar(stderr: string, label: string): void {
  expect(stderr).toContain(`${label} [`);
  expect(stderr).toContain("100% 2.0 MiB/2.0 MiB");
  expect(stderr.lastIndexOf(SHOW_CURSOR)).toBeGreaterThan(stderr.lastIndexOf(`${label} [`));
  expect(stderr.endsWith("\n")).toBe(true);
}

describe.concurrent("the progress bar of sync and cp on a terminal stderr", () => {
  it("sync draws it for a 2 MiB write and read, named after the VM path", async () => {
    const vm = await forkVm();
    const bytes = randomBytes(2 * MiB);
    const write = await cli(["sync", vm, "/tmp/big.bin", "-"], { stdin: bytes, stderrIsTTY: true });
    expect(write.code, write.stderr).toBe(0);
    expectFinishedBar(write.stderr, "write /tmp/big.bin");
    const read = await cli(["sync", vm, "/tmp/big.bin"], { stderrIsTTY: true });
    expect(read.code, read.stderr).toBe(0);
    expect(read.stdout.equals(bytes)).toBe(true);
    expectFinishedBar(read.stderr, "read /tmp/big.bin");
  });

  it("cp draws it for a 2 MiB upload and download, named after the source", async () => {
    const vm = await forkVm();
    const file = join(local, `big-${vm}.bin`);
    await writeFile(file, randomBytes(2 * MiB));
    const up = await cli(["cp", file, `${vm}:/tmp/big.bin`], { stderrIsTTY: true });
    expect(up.code, up.stderr).toBe(0);
    expectFinishedBar(up.stderr, `cp ${file}`);
    const down = await cli(["cp", `${vm}:/tmp/big.bin`, join(local, `back-${vm}.bin`)], {
      stderrIsTTY: true,
    });
    expect(down.code, down.stderr).toBe(0);
    expectFinishedBar(down.stderr, `cp ${vm}:/tmp/big.bin`);
  });
});

describe.concurrent("arker sync with stdin on a terminal", () => {
  it("says how to end the input when the source is -, and nothing for a local file", async () => {
    const vm = await forkVm();
    const typed = await cli(["sync", vm, "/tmp/typed.txt", "-"], {
      stdin: "hi\n",
      stdinIsTTY: true,
    });
    expect(typed.code, typed.stderr).toBe(0);
    expect(typed.stderr).toBe(
      `reading the file from the terminal; end it with Ctrl-D\nwrote 3 bytes to ${vm}:/tmp/typed.txt\n`,
    );
    const file = join(local, `small-${vm}.txt`);
    await writeFile(file, "abc");
    const fromFile = await cli(["sync", vm, "/tmp/small.txt", file], { stdinIsTTY: true });
    expect(fromFile.stderr).toBe(`wrote 3 bytes to ${vm}:/tmp/small.txt\n`);
  });
});
