import { getEventListeners } from "node:events";
import { Writable } from "node:stream";
import { createFakeArker, type FakeArker } from "@arker-ai/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliIo, runCli } from "../src/index";
import { InterruptedError } from "../src/support/interrupts";
import { cliFor, temporaryHome } from "./harness";

// `arker run`'s Ctrl-C path, in process (io.signal stands in for the process's signals) so
// that mutation testing sees it: the spawned tests in interrupts.test.ts run the build.

let fake: FakeArker;
let home: string;
let cli: ReturnType<typeof cliFor>;

beforeAll(async () => {
  fake = await createFakeArker({ listen: true, python: false, clock: "manual" });
  home = await temporaryHome();
  cli = cliFor({ url: fake.url!, apiKey: fake.apiKey }, home);
});

afterAll(async () => {
  await fake?.close();
});

/** Runs `arker ...args` in process with `signal` as the process's interrupt signal. */
async function runWithSignal(args: string[], signal: AbortSignal) {
  let stdout = "";
  let stderr = "";
  const sink = (write: (text: string) => void) =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        write(chunk.toString("utf8"));
        done();
      },
    });
  const io: CliIo = {
    stdout: sink((text) => (stdout += text)),
    stderr: sink((text) => (stderr += text)),
    stdin: (async function* () {})(),
    env: { HOME: home, ARKER_BASE_URL: fake.url!, ARKER_API_KEY: fake.apiKey },
    stdoutIsTTY: false,
    stderrIsTTY: false,
    stdinIsTTY: false,
    signal,
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

/** A VM with a session and a command that runs for an hour in it. */
async function longRunSetup(): Promise<{ vm: string; session: string; command: string }> {
  const vm = (await cli(["fork", "ubuntu"])).text.trim();
  const session = (await cli(["sessions", "create", vm])).text.trim();
  const command = `forever ${vm}`;
  fake.commands.on(command, () => ({ durationMs: 3_600_000 }));
  return { vm, session, command };
}

/** Resolves once the fake has answered a poll of a run (the foreground run went to polling). */
async function polling(from: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!fake.requests.slice(from).some((entry) => /\/runs\/run_\w+$/.test(entry.path))) {
    if (Date.now() > deadline) throw new Error("the run was never polled");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** `arker run` of the hour-long command in its session, once it went to polling. */
async function foregroundRunPolling() {
  const { vm, session, command } = await longRunSetup();
  const controller = new AbortController();
  const before = fake.requests.length;
  const pending = runWithSignal(
    ["run", vm, "--session", session, "--", command],
    controller.signal,
  );
  await polling(before);
  return { vm, controller, pending };
}

const runsOf = (vm: string) => fake.vms.find((one) => one.vm_id === vm)?.runs ?? [];

describe("arker run and Ctrl-C, in process", () => {
  it("signals the run's own session and exits with the run's code (130)", async () => {
    const { vm, controller, pending } = await foregroundRunPolling();
    controller.abort(new InterruptedError("SIGINT"));
    const result = await pending;
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toMatch(/^arker: run run_\w+ failed: signal$/m);
    expect(runsOf(vm)[0]).toMatchObject({ state: "failed", exit_code: 130, fail_reason: "signal" });
  }, 30_000);

  it("when the signal cannot be sent, stops waiting at once and leaves the run running", async () => {
    const { vm, controller, pending } = await foregroundRunPolling();
    const fault = fake.faults.add({
      method: "POST",
      path: new RegExp(`/vms/${vm}/runs$`),
      times: 1,
      effect: { type: "respond", status: 400, code: "bad_request" },
    });
    try {
      controller.abort(new InterruptedError("SIGINT"));
      const result = await pending;
      expect(result.code, result.stderr).toBe(130);
      expect(result.stderr).toMatch(/^arker: aborted: /m);
      expect(runsOf(vm)[0]?.state).toBe("running");
    } finally {
      fake.faults.remove(fault);
    }
  }, 30_000);

  it("when the run ended just before the signal (nothing to signal), stops waiting at once", async () => {
    const { controller, pending } = await foregroundRunPolling();
    // Right after a poll (the next is 500 ms away): the run ends, then Ctrl-C comes.
    const polls = fake.requests.length;
    while (fake.requests.length === polls) await new Promise((resolve) => setTimeout(resolve, 5));
    await fake.clock.advance(3_600_000);
    controller.abort(new InterruptedError("SIGINT"));
    const result = await pending;
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toMatch(/^arker: aborted: /m);
  }, 30_000);

  it.each([
    ["without --timeout", []],
    ["with --timeout", ["--timeout", "3600"]],
  ])(
    "runs wait %s stops waiting at once and leaves the run running",
    async (_, extra) => {
      const vm = (await cli(["fork", "ubuntu"])).text.trim();
      const command = `forever ${vm}`;
      fake.commands.on(command, () => ({ durationMs: 3_600_000 }));
      const runId = (await cli(["run", vm, "--background", "--", command])).text.trim();
      const controller = new AbortController();
      const before = fake.requests.length;
      const pending = runWithSignal(["runs", "wait", vm, runId, ...extra], controller.signal);
      await polling(before);
      controller.abort(new InterruptedError("SIGINT"));
      const result = await pending;
      expect(result.code, result.stderr).toBe(130);
      expect(result.stderr).toMatch(/^arker: aborted: /m);
      expect(runsOf(vm)[0]?.state).toBe("running");
    },
    15_000,
  );

  it("stops listening once the run ends (no listener left on the process's signal)", async () => {
    const vm = (await cli(["fork", "ubuntu"])).text.trim();
    const controller = new AbortController();
    const result = await runWithSignal(["run", vm, "--", "echo", "hi"], controller.signal);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("hi\n");
    expect(getEventListeners(controller.signal, "abort")).toEqual([]);
  });
});
