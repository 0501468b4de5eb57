import { PassThrough } from "node:stream";
import { createFakeArker } from "@arker-ai/testing";
import { describe, expect, it } from "vitest";
import { type CliIo, runCli } from "../src/index";

/** An in-memory io: collects stdout and stderr, no terminal. */
function memoryIo(env: Record<string, string | undefined>, stdin = "") {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on("data", (chunk: Buffer) => out.push(chunk));
  stderr.on("data", (chunk: Buffer) => err.push(chunk));
  const io: CliIo = {
    stdout,
    stderr,
    stdin: (async function* () {
      if (stdin) yield Buffer.from(stdin);
    })(),
    env,
    stdoutIsTTY: false,
    stderrIsTTY: false,
  };
  return {
    io,
    stdout: () => Buffer.concat(out).toString("utf8"),
    stderr: () => Buffer.concat(err).toString("utf8"),
  };
}

describe("runCli in process", () => {
  it("resolves with exit codes instead of exiting, and writes to the given streams", async () => {
    const fake = await createFakeArker({ listen: true, python: false });
    try {
      const env = { ARKER_BASE_URL: fake.url, ARKER_API_KEY: fake.apiKey, HOME: "/nonexistent" };
      const fork = memoryIo(env);
      expect(await runCli(["fork", "ubuntu"], fork.io)).toBe(0);
      const vm = fork.stdout().trim();
      expect(vm).toMatch(/^vm_/);

      const run = memoryIo(env);
      expect(await runCli(["run", vm, "--", "sh", "-c", "echo hi; exit 3"], run.io)).toBe(3);
      expect(run.stdout()).toBe("hi\n");

      const missing = memoryIo(env);
      expect(await runCli(["get", "vm_00000000000000000000000000"], missing.io)).toBe(5);
      expect(missing.stderr()).toMatch(/^arker: not_found: /);

      const usage = memoryIo(env);
      expect(await runCli(["--nope"], usage.io)).toBe(2);
      expect(usage.stderr()).toMatch(/^arker: usage: unknown option '--nope'/);

      const help = memoryIo(env);
      expect(await runCli(["--help"], help.io)).toBe(0);
      expect(help.stdout()).toMatch(/^Usage: arker /);
    } finally {
      await fake.close();
    }
  });

  it("reads the environment from io, not from process.env", async () => {
    const noKey = memoryIo({ HOME: "/nonexistent", ARKER_BASE_URL: "http://127.0.0.1:9" });
    expect(await runCli(["ls"], noKey.io)).toBe(4);
    expect(noKey.stderr()).toContain("hint: set ARKER_API_KEY or run: arker login");
  });
});
