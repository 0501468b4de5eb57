import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFakeArker, type FakeArker } from "@arker-ai/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quoteShellArgument } from "../src/support/shell-quote";
import { BIN, cliFor, requireBuiltBinary, temporaryHome } from "./harness";

/** util-linux `script` gives the CLI a pseudo-terminal; skip cleanly where it is absent. */
const hasScript = (() => {
  try {
    execFileSync("script", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

let fake: FakeArker;
let cli: ReturnType<typeof cliFor>;
let home: string;
let scratch: string;

beforeAll(async () => {
  if (!hasScript) return;
  requireBuiltBinary();
  fake = await createFakeArker({ listen: true, python: false });
  home = await temporaryHome();
  cli = cliFor({ url: fake.url!, apiKey: fake.apiKey }, home);
  scratch = await mkdtemp(join(tmpdir(), "arker-cli-tty-"));
});

afterAll(async () => {
  await fake?.close();
});

/**
 * Runs `arker <args>` under a pseudo-terminal (stdin, stdout and stderr are the pty)
 * with an optional shell redirection appended, and returns what the terminal showed.
 */
function inTerminal(
  args: string[],
  redirect = "",
  env: Record<string, string> = {},
): Promise<{ code: number | null; screen: string }> {
  const command = [process.execPath, BIN, ...args].map(quoteShellArgument).join(" ");
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qfec", `${command} ${redirect}`, "/dev/null"], {
      env: {
        PATH: process.env.PATH,
        HOME: home,
        TERM: "xterm-256color",
        ARKER_BASE_URL: fake.url,
        ARKER_API_KEY: fake.apiKey,
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let screen = "";
    child.stdout.on("data", (chunk: Buffer) => {
      screen += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      screen += chunk.toString("utf8");
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      expect(screen).not.toContain(fake.apiKey);
      resolve({ code, screen });
    });
  });
}

const BAR = /\[[█░]{30}\] \d{1,3}% /;
const MiB = 1024 * 1024;

describe.runIf(hasScript).concurrent("on a terminal", () => {
  it("a large write shows a progress bar on stderr; the bytes arrive intact", async () => {
    const vm = (await cli(["fork", "ubuntu"])).text.trim();
    const local = join(scratch, `big-${vm}.bin`);
    const bytes = randomBytes(8 * MiB);
    await writeFile(local, bytes);
    const { code, screen } = await inTerminal(["sync", vm, "/tmp/big.bin", local]);
    expect(code, screen).toBe(0);
    expect(screen).toMatch(BAR);
    expect(screen).toContain("write /tmp/big.bin [");
    expect(screen).toMatch(/\] 100% 8\.0 MiB\/8\.0 MiB/);
    expect(screen).toContain(`wrote ${8 * MiB} bytes to ${vm}:/tmp/big.bin`);
    expect(Buffer.from(fake.files(vm).read("/tmp/big.bin")!).equals(bytes)).toBe(true);
  });

  it("a large read shows the bar while stdout goes to a file", async () => {
    const vm = (await cli(["fork", "ubuntu"])).text.trim();
    const bytes = randomBytes(6 * MiB);
    expect((await cli(["sync", vm, "/tmp/read.bin", "-"], { stdin: bytes })).code).toBe(0);
    const out = join(scratch, `read-${vm}.bin`);
    const { code, screen } = await inTerminal(["sync", vm, "/tmp/read.bin"], `> ${out}`);
    expect(code, screen).toBe(0);
    expect(screen).toMatch(BAR);
    expect(screen).toMatch(/read \/tmp\/read\.bin \[.*\] 100% 6\.0 MiB\/6\.0 MiB/);
    expect((await readFile(out)).equals(bytes)).toBe(true);
  });

  it("with stderr piped to a file there is no progress output anywhere", async () => {
    const vm = (await cli(["fork", "ubuntu"])).text.trim();
    const local = join(scratch, `piped-${vm}.bin`);
    await writeFile(local, randomBytes(8 * MiB));
    const errors = join(scratch, `stderr-${vm}.txt`);
    const { code, screen } = await inTerminal(["sync", vm, "/tmp/big.bin", local], `2> ${errors}`);
    expect(code, screen).toBe(0);
    const stderr = await readFile(errors, "utf8");
    expect(stderr).toBe(`wrote ${8 * MiB} bytes to ${vm}:/tmp/big.bin\n`);
    expect(screen).not.toMatch(/%|█|░/);
  });

  it("a small transfer shows no bar even on a terminal", async () => {
    const vm = (await cli(["fork", "ubuntu"])).text.trim();
    const local = join(scratch, `small-${vm}.bin`);
    await writeFile(local, randomBytes(512 * 1024));
    const { code, screen } = await inTerminal(["sync", vm, "/tmp/small.bin", local]);
    expect(code, screen).toBe(0);
    expect(screen).not.toMatch(/%|█|░/);
  });

  it("colours tables on a terminal, but not with NO_COLOR, --no-color or --json", async () => {
    await cli(["fork", "ubuntu", "--name", "coloured"]);
    const coloured = await inTerminal(["ls"]);
    expect(coloured.screen).toContain("\u001b[1mID");
    expect(coloured.screen).toContain("\u001b[36mvm_");
    const noColorEnv = await inTerminal(["ls"], "", { NO_COLOR: "1" });
    expect(noColorEnv.screen).toContain("coloured");
    expect(noColorEnv.screen).not.toContain("\u001b[");
    const noColorFlag = await inTerminal(["--no-color", "ls"]);
    expect(noColorFlag.screen).not.toContain("\u001b[");
    const json = await inTerminal(["ls", "--json"]);
    expect(json.screen).not.toContain("\u001b[");
    expect(JSON.parse(json.screen)).toHaveProperty("vms");
  });
});
