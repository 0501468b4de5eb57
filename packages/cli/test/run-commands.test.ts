import { randomBytes } from "node:crypto";
import { createFakeArker, type FakeArker } from "@arker-ai/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFor, requireBuiltBinary, runArker, temporaryHome } from "./harness";

let fake: FakeArker;
let cli: ReturnType<typeof cliFor>;

beforeAll(async () => {
  requireBuiltBinary();
  fake = await createFakeArker({ listen: true, python: false, clock: "manual" });
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

/** Resolves once the fake has seen a request matching `method` and `path`. */
async function requestSeen(method: string, path: RegExp, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!fake.requests.some((entry) => entry.method === method && path.test(entry.path))) {
    if (Date.now() > deadline) throw new Error(`no ${method} ${path} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.concurrent("run", () => {
  it("writes remote stdout and stderr to its own and exits with the remote code", async () => {
    const vm = await forkVm();
    const result = await cli(["run", vm, "--", "sh", "-c", "echo out; echo err >&2; exit 3"]);
    expect(result.code).toBe(3);
    expect(result.text).toBe("out\n");
    expect(result.stderr).toBe("err\n");
    const ok = await cli(["run", vm, "--", "true"]);
    expect(ok.code).toBe(0);
    expect(ok.text).toBe("");
    expect(ok.stderr).toBe("");
  });

  it("passes binary output through byte for byte", async () => {
    const vm = await forkVm();
    const stdout = randomBytes(64 * 1024);
    const stderr = Buffer.from([0, 255, 128, 10, 13, 0xc3]);
    fake.commands.on(`emit-binary ${vm}`, () => ({ stdout, stderr, exitCode: 7 }));
    const result = await cli(["run", vm, "--", "emit-binary", vm]);
    expect(result.code).toBe(7);
    expect(result.stdout.equals(stdout)).toBe(true);
    expect(result.stderrBytes.equals(stderr)).toBe(true);
    const raw = await cli(["run", vm, "--json", "--", "emit-binary", vm]);
    const document = raw.json<{
      stdout: string;
      stdoutEncoding: string;
      stderr: string;
      stderrEncoding: string;
    }>();
    expect(document.stdoutEncoding).toBe("base64");
    expect(Buffer.from(document.stdout, "base64").equals(stdout)).toBe(true);
    expect(document.stderrEncoding).toBe("base64");
    expect(Buffer.from(document.stderr, "base64").equals(stderr)).toBe(true);
  });

  it("quotes each word after -- for the remote shell, and sends a single word as is", async () => {
    const vm = await forkVm();
    const words = await cli(["run", vm, "--", "printf", "%s|", "a b", "c'd", "", "$HOME", "*"]);
    expect(words.code, words.stderr).toBe(0);
    expect(words.text).toBe("a b|c'd||$HOME|*|");
    const script = await cli(["run", vm, "--", "echo one; echo two | tr a-z A-Z"]);
    expect(script.text).toBe("one\nTWO\n");
    const commands = fake.vms.find((entry) => entry.vm_id === vm)!.runs.map((run) => run.command);
    expect(commands).toContain("printf '%s|' 'a b' 'c'\\''d' '' '$HOME' '*'");
  });

  it("--cwd applies to that run only, and an exit keeps the session's cwd (issue 11, item 6)", async () => {
    const vm = await forkVm();
    expect((await cli(["run", vm, "--cwd", "/tmp", "--", "pwd"])).text).toBe("/tmp\n");
    expect((await cli(["run", vm, "--", "pwd"])).text).toBe("/home/user\n");
    expect((await cli(["run", vm, "--", "echo out; exit 3"])).code).toBe(3);
    expect((await cli(["run", vm, "--", "pwd"])).text).toBe("/home/user\n");
  });

  it("--env, --cwd and --json", async () => {
    const vm = await forkVm();
    const result = await cli([
      "run",
      vm,
      "--env",
      "A=1",
      "--env",
      "B=x=y",
      "--cwd",
      "/tmp",
      "--json",
      "--",
      'echo "$A $B"; pwd',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json()).toEqual({
      runId: expect.stringMatching(/^run_/),
      state: "completed",
      exitCode: 0,
      failReason: null,
      sessionId: expect.stringMatching(/^sess_/),
      stdout: "1 x=y\n/tmp\n",
      stdoutEncoding: "utf-8",
      stderr: "",
      stderrEncoding: "utf-8",
    });
    const failing = await cli(["run", vm, "--json", "--", "sh", "-c", "exit 3"]);
    expect(failing.code).toBe(3);
    expect(failing.json()).toMatchObject({ exitCode: 3, state: "completed" });
    const bad = await cli(["run", vm, "--env", "NOEQUALS", "--", "true"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--env expects K=V/);
  });

  it("--timeout kills the run: exit 124 and one line saying why", async () => {
    const vm = await forkVm();
    fake.commands.on(`slow ${vm}`, () => ({ stdout: "never\n", durationMs: 10_000 }));
    const result = await cli(["run", vm, "--timeout", "1", "--", "slow", vm]);
    expect(result.code).toBe(124);
    expect(result.stderr).toMatch(/^arker: run run_\S+ failed: timeout$/m);
    const sent = fake.vms.find((entry) => entry.vm_id === vm)!.runs[0]!;
    expect(sent.fail_reason).toBe("timeout");
  });

  it("--session runs in a session that keeps cwd and env", async () => {
    const vm = await forkVm();
    const session = (await cli(["sessions", "create", vm, "--cwd", "/tmp"])).text.trim();
    expect(session).toMatch(/^sess_/);
    await cli([
      "run",
      vm,
      "--session",
      session,
      "--",
      "mkdir -p work && cd work && export KEPT=yes",
    ]);
    const result = await cli(["run", vm, "--session", session, "--", 'pwd; echo "$KEPT"']);
    expect(result.text).toBe("/tmp/work\nyes\n");
    const other = await cli(["run", vm, "--", "pwd"]);
    expect(other.text).toBe("/home/user\n");
  });

  it("--idempotency-key replays the same run instead of running twice", async () => {
    const vm = await forkVm();
    let calls = 0;
    fake.commands.on(`count ${vm}`, () => {
      calls += 1;
      return { stdout: `call ${calls}\n` };
    });
    const key = `idem-${vm}`;
    const first = await cli(["run", vm, "--idempotency-key", key, "--json", "--", "count", vm]);
    const second = await cli(["run", vm, "--idempotency-key", key, "--json", "--", "count", vm]);
    expect(first.json().runId).toBe(second.json().runId);
    expect(second.json().stdout).toBe("call 1\n");
    expect(calls).toBe(1);
  });

  it("--background prints the run id, or { runId, state } with --json", async () => {
    const vm = await forkVm();
    fake.commands.on(`bg ${vm}`, () => ({ stdout: "bg\n", durationMs: 60_000 }));
    const human = await cli(["run", vm, "--background", "--", "bg", vm]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.text).toMatch(/^run_[0-9A-Z]+\n$/);
    const json = await cli(["run", vm, "--background", "--json", "--", "bg", vm]);
    expect(json.json()).toEqual({ runId: expect.stringMatching(/^run_/), state: "running" });
  });

  it("a foreground run that outlives the synchronous window is polled to its end", async () => {
    const vm = await forkVm();
    fake.commands.on(`long ${vm}`, () => ({
      stdout: "finally\n",
      exitCode: 4,
      durationMs: 45_000,
    }));
    const pending = cli(["run", vm, "--", "long", vm]);
    await requestSeen("GET", new RegExp(`/v1/vms/${vm}/runs/run_`));
    await fake.clock.advance(45_000);
    const result = await pending;
    expect(result.code).toBe(4);
    expect(result.text).toBe("finally\n");
  });

  it("fails with exit 5 for an unknown VM, and 2 without a command", async () => {
    const missing = await cli(["run", "vm_00000000000000000000000000", "--", "true"]);
    expect(missing.code).toBe(5);
    expect(missing.stderr).toMatch(/^arker: not_found: /m);
    const usage = await cli(["run", "vm_00000000000000000000000000"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^arker: usage: missing required argument 'command'/m);
  });
});

describe.concurrent("runs", () => {
  it("ls lists runs newest first; --json, --state and --limit/--all", async () => {
    const vm = await forkVm();
    await cli(["run", vm, "--", "echo first"]);
    await cli(["run", vm, "--", "sh", "-c", "exit 2"]);
    const table = await cli(["runs", "ls", vm]);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.text.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^RUN\s+STATE\s+EXIT\s+STARTED\s+COMMAND$/);
    expect(lines[1]).toMatch(/sh -c 'exit 2'$/);
    expect(lines[2]).toMatch(/echo first$/);
    const json = (await cli(["runs", "ls", vm, "--json"])).json<{
      runs: Array<{ run_id: string; exit_code: number; command: string }>;
      nextCursor: string | null;
    }>();
    expect(json.runs.map((run) => run.exit_code)).toEqual([2, 0]);
    expect(json.nextCursor).toBeNull();
    const paged = (await cli(["runs", "ls", vm, "--json", "--limit", "1"])).json<{
      runs: unknown[];
      nextCursor: string;
    }>();
    expect(paged.runs).toHaveLength(1);
    expect(paged.nextCursor).toEqual(expect.any(String));
    const all = (await cli(["runs", "ls", vm, "--json", "--limit", "1", "--all"])).json<{
      runs: unknown[];
    }>();
    expect(all.runs).toHaveLength(2);
    const completed = (await cli(["runs", "ls", vm, "--json", "--state", "running"])).json<{
      runs: unknown[];
    }>();
    expect(completed.runs).toHaveLength(0);
  });

  it("get shows one run; --json has the command and decoded output", async () => {
    const vm = await forkVm();
    const runId = (await cli(["run", vm, "--json", "--", "echo", "hello"])).json().runId as string;
    const human = await cli(["runs", "get", vm, runId]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.text).toMatch(
      new RegExp(`^run {10}${runId}\\nstate {8}completed\\nexit code {4}0\\n`),
    );
    expect(human.text).toContain("stdout       6 bytes");
    const json = (await cli(["runs", "get", vm, runId, "--json"])).json();
    expect(json).toMatchObject({
      runId,
      state: "completed",
      exitCode: 0,
      command: "echo hello",
      stdout: "hello\n",
      stdoutEncoding: "utf-8",
      retryCount: 0,
      startedAt: expect.any(String),
      completedAt: expect.any(String),
    });
    const missing = await cli(["runs", "get", vm, "run_00000000000000000000000000"]);
    expect(missing.code).toBe(5);
  });

  it("wait polls a background run, prints its output and exits with its code", async () => {
    const vm = await forkVm();
    fake.commands.on(`job ${vm}`, () => ({
      stdout: "job out\n",
      stderr: "job err\n",
      exitCode: 6,
      durationMs: 5_000,
    }));
    const runId = (await cli(["run", vm, "--background", "--", "job", vm])).text.trim();
    const pending = cli(["runs", "wait", vm, runId, "--poll-interval", "50"]);
    await requestSeen("GET", new RegExp(`/runs/${runId}$`));
    await fake.clock.advance(5_000);
    const result = await pending;
    expect(result.code).toBe(6);
    expect(result.text).toBe("job out\n");
    expect(result.stderr).toBe("job err\n");
    const json = await cli(["runs", "wait", vm, runId, "--json"]);
    expect(json.code).toBe(6);
    expect(json.json()).toMatchObject({ runId, exitCode: 6, stdout: "job out\n" });
  });

  it("wait --timeout gives up on a run still running: code timeout, exit 124", async () => {
    const vm = await forkVm();
    fake.commands.on(`stuck ${vm}`, () => ({ durationMs: 3_600_000 }));
    const runId = (await cli(["run", vm, "--background", "--", "stuck", vm])).text.trim();
    const result = await cli([
      "runs",
      "wait",
      vm,
      runId,
      "--timeout",
      "1",
      "--poll-interval",
      "50",
    ]);
    expect(result.code).toBe(124);
    expect(result.stderr).toMatch(
      new RegExp(`^arker: timeout: run ${runId} still running after 1s`, "m"),
    );
    const json = await cli(["runs", "wait", vm, runId, "--timeout", "1", "--json"]);
    expect(json.code).toBe(124);
    expect(json.json()).toMatchObject({ error: { code: "timeout" } });
    const state = (await cli(["runs", "get", vm, runId, "--json"])).json();
    expect(state.state).toBe("running");
  });

  it.each(["0", "-3", "1.5", "soon", "3000000"])(
    "wait --timeout %s is a usage error",
    async (value) => {
      const result = await runArker(["runs", "wait", "vm_1", "run_1", "--timeout", value]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/--timeout/);
    },
  );

  it("cancel stops a run; waiting on it exits with its code and says it was cancelled", async () => {
    const vm = await forkVm();
    fake.commands.on(`forever ${vm}`, () => ({ durationMs: 3_600_000 }));
    const runId = (await cli(["run", vm, "--background", "--", "forever", vm])).text.trim();
    const other = (await cli(["run", vm, "--background", "--", "forever", vm])).text.trim();
    const told = await cli(["runs", "cancel", vm, other]);
    expect(told.code, told.stderr).toBe(0);
    expect(told.stderr).toBe(`cancelled ${other}\n`);
    const cancel = await cli(["runs", "cancel", vm, runId, "--json"]);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.json()).toEqual({ runId, cancelled: true });
    const state = (await cli(["runs", "get", vm, runId, "--json"])).json();
    expect(state.state).toBe("cancelled");
    const waited = await cli(["runs", "wait", vm, runId]);
    // The remote exit code of a cancelled run (the fake reports 130, as for SIGINT).
    expect(waited.code).toBe(state.exitCode ?? 1);
    expect(waited.stderr).toMatch(/^arker: run \S+ cancelled$/m);
    const human = await cli(["runs", "cancel", vm, runId]);
    expect([0, 1]).toContain(human.code);
  });

  it("runs without a subcommand is a usage error", async () => {
    const result = await runArker(["runs"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Usage: arker runs");
  });
});
