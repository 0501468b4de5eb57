// Proves what a command stub's handler is given and how the runner turns its result into the run.
import { describe, expect, it } from "vitest";
import type { CommandContext } from "../src/engine/command-stubs.js";
import type { TerminalIo } from "../src/terminal/terminal-io.js";
import { bench } from "./runner-unit.js";

describe("runner: a stub's context", () => {
  it("holds the command, its words, no stdin, the merged env, the cwd and the VM", async () => {
    const b = bench();
    b.session.env = { SESSION: "s", SHARED: "session" };
    const seen: CommandContext[] = [];
    b.state.stubs.on(/tool/, (context) => {
      seen.push(context);
      return {};
    });
    await b.start(` tool "a b" c`, { env: { SHARED: "run" } });
    await b.start("tool", { cwd: "/tmp" });
    const [first, second] = seen;
    expect(first).toMatchObject({
      command: ` tool "a b" c`,
      argv: ["tool", "a b", "c"],
      stdin: "",
      cwd: "/home/user",
      vmId: b.vm.id,
    });
    expect(first?.env).toEqual({
      HOME: "/home/user",
      USER: "user",
      LOGNAME: "user",
      SHELL: "/bin/bash",
      PATH: "/usr/local/bin:/usr/bin:/bin",
      LANG: "C.UTF-8",
      SESSION: "s",
      SHARED: "run",
    });
    expect(second?.cwd).toBe("/tmp");
    expect(second?.env.SHARED).toBe("session");
  });

  it("reads the VM's files: bytes, existence of files and directories", async () => {
    const b = bench();
    await b.start("mkdir /tmp/d; printf hi > /tmp/d/f");
    const seen: unknown[] = [];
    b.state.stubs.on("look", ({ files }) => {
      seen.push(
        Buffer.from(files.read("/tmp/d/f") ?? []).toString(),
        files.read("/tmp/none"),
        files.exists("/tmp/d"),
        files.exists("/tmp/d/f"),
        files.exists("/tmp/none"),
        files.list("/tmp/d"),
      );
      return {};
    });
    await b.start("look");
    expect(seen).toEqual(["hi", undefined, true, true, false, ["f"]]);
  });
});

describe("runner: a stub's result", () => {
  it("takes string and byte output, its exit code, and 0 for a missing or fractional one", async () => {
    const b = bench();
    b.state.stubs.on("bytes", () => ({
      stdout: new Uint8Array([0xff, 0x00]),
      stderr: "e",
      exitCode: 3,
    }));
    b.state.stubs.on("fraction", () => ({ exitCode: 2.5 }));
    b.state.stubs.on("nothing", () => undefined as never);
    const bytes = await b.start("bytes");
    expect(bytes).toMatchObject({
      status: 200,
      body: {
        state: "completed",
        exit_code: 3,
        stdout: "/wA=",
        stdout_encoding: "base64",
        stderr: "e",
      },
    });
    expect(await b.start("fraction")).toMatchObject({ body: { state: "completed", exit_code: 0 } });
    expect(await b.start("nothing")).toMatchObject({
      body: { state: "completed", exit_code: 0, stdout: "", stderr: "" },
    });
  });

  it("spends a finite positive duration on the clock; ignores a negative, NaN or infinite one", async () => {
    const b = bench();
    const start = b.state.clock.now();
    b.state.stubs.on("timed", () => ({ durationMs: 1500 }));
    b.state.stubs.on(/^odd /, (context) => ({ durationMs: Number(context.argv[1]) }));
    const timed = await b.start("timed");
    expect(b.state.clock.now()).toBe(start + 1500);
    const run = b.state.runs.list(b.vm)[0]!;
    expect(run.completedAt! - run.startedAt).toBe(1500);
    expect(timed).toMatchObject({ status: 200 });
    for (const odd of ["-5", "NaN", "Infinity"]) {
      expect(await b.start(`odd ${odd}`)).toMatchObject({ status: 200, body: { exit_code: 0 } });
    }
    expect(b.state.clock.now()).toBe(start + 1500);
  });

  it("fails the run with a thrown Error's message, one newline added", async () => {
    const b = bench();
    b.state.stubs.on("boom", () => {
      throw new Error("it broke");
    });
    expect(await b.start("boom")).toMatchObject({
      body: {
        state: "failed",
        fail_reason: "error",
        exit_code: 1,
        stdout: "",
        stderr: "it broke\n",
      },
    });
  });

  it("sends a stub's output to the terminal it was started from", async () => {
    const b = bench({ clock: "auto" });
    const written: string[] = [];
    const ended: Array<[number, boolean]> = [];
    const terminal: TerminalIo = {
      status: 0,
      write: (bytes) => written.push(Buffer.from(bytes).toString()),
      size: () => ({ cols: 80, rows: 24 }),
      ended: (code, exited) => ended.push([code, exited]),
    };
    b.state.stubs.on("hello", () => ({ stdout: "out\n", stderr: "err\n", exitCode: 4 }));
    b.state.stubs.on("quiet", () => ({}));
    await b.start("hello", { terminal });
    await b.start("quiet", { terminal });
    expect(written).toEqual(["out\n", "err\n"]);
    expect(ended).toEqual([
      [4, false],
      [0, false],
    ]);
    const runs = b.state.runs.list(b.vm);
    expect(runs.map((run) => [run.stdout.byteLength, run.stderr.byteLength])).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });
});
