import { afterEach, describe, expect, it } from "vitest";
import { cleanup, rejection, sendJson, setup } from "../../../test-support/local-server";
import { type CommandFailedError, VmClient } from "../src/index";

// How vm.exec words a failure and hands its options to the polling (found by mutation
// testing: TESTING.md).
afterEach(cleanup);

function answer(extra: Record<string, unknown> = {}) {
  return {
    stdout: "",
    stdout_encoding: "utf-8",
    stderr: "",
    stderr_encoding: "utf-8",
    exit_code: 1,
    run_id: "run_1",
    state: "completed",
    fail_reason: null,
    session_id: "sess_0",
    ...extra,
  };
}

function polled(state: string, extra: Record<string, unknown> = {}) {
  return {
    ...answer({ state, exit_code: null, ...extra }),
    started_at: "2026-01-01T00:00:00Z",
    completed_at: state === "running" ? null : "2026-01-01T00:01:00Z",
    command: "make",
    retry_count: 0,
  };
}

async function vmAnswering(extra: Record<string, unknown>) {
  const ctx = await setup((_req, res) => sendJson(res, 200, answer(extra)));
  return new VmClient(ctx.client).vm("vm_1");
}

/** A VM whose run switches to the background, then polls as `polls` says. */
async function vmInBackground(poll: (index: number) => unknown) {
  const ctx = await setup((_req, res, index) => {
    if (index === 0) return sendJson(res, 202, { run_id: "run_1", state: "running" });
    return sendJson(res, 200, poll(index));
  });
  return { ...ctx, vm: new VmClient(ctx.client).vm("vm_1") };
}

describe("vm.exec failure messages", () => {
  it("is a CommandFailedError by name", async () => {
    const vm = await vmAnswering({ stderr: "boom" });
    const error = await rejection(vm.exec("false"));
    expect(error.name).toBe("CommandFailedError");
  });

  it("quotes only the last 500 characters of the output", async () => {
    const vm = await vmAnswering({ stderr: `${"a".repeat(100)}${"b".repeat(500)}` });
    const error = await rejection(vm.exec("noisy"));
    expect(error.message).toBe(
      `command_failed: noisy exited with code 1 (run run_1): ${"b".repeat(500)}`,
    );
  });

  it("quotes stdout, trimmed, when stderr is empty", async () => {
    const vm = await vmAnswering({ stdout: "  done  \n" });
    const error = await rejection(vm.exec("ls"));
    expect(error.message).toBe("command_failed: ls exited with code 1 (run run_1): done");
  });

  it("ends at the run id when there is no output", async () => {
    const vm = await vmAnswering({});
    const error = await rejection(vm.exec("ls"));
    expect(error.message).toBe("command_failed: ls exited with code 1 (run run_1)");
  });

  it("cuts a command past 200 characters, and only then", async () => {
    const vm = await vmAnswering({});
    const long = `echo ${"x".repeat(196)}`;
    const cut = await rejection(vm.exec(long));
    expect(cut.message).toBe(
      `command_failed: ${long.slice(0, 200)}… exited with code 1 (run run_1)`,
    );
    const exact = long.slice(0, 200);
    const whole = await rejection(vm.exec(exact));
    expect(whole.message).toBe(`command_failed: ${exact} exited with code 1 (run run_1)`);
  });

  it("fails a run that did not complete even with exit code 0, without a reason", async () => {
    const vm = await vmAnswering({ state: "failed", exit_code: 0 });
    const error = await rejection(vm.exec("ls"));
    expect(error.code).toBe("command_failed");
    expect(error.message).toBe("command_failed: ls failed, exit code 0 (run run_1)");
  });

  it("names check when it is not a boolean", async () => {
    const vm = await vmAnswering({});
    const error = await rejection(vm.exec("ls", { check: "no" as unknown as boolean }));
    expect(error.message).toMatch(/^bad_request: check /);
  });
});

describe("vm.exec past the synchronous window", () => {
  it("reads a finished run without an exit code as -1", async () => {
    const { vm } = await vmInBackground(() => polled("cancelled"));
    const result = await vm.exec("make", { check: false, pollIntervalMs: 10 });
    expect(result).toMatchObject({ state: "cancelled", exitCode: -1 });
  });

  it("hands pollIntervalMs to the polling, which checks it", async () => {
    const { vm } = await vmInBackground(() => polled("running"));
    const error = await rejection(vm.exec("make", { pollIntervalMs: 0 }));
    expect(error.code).toBe("bad_request");
    expect(error.message).toContain("pollIntervalMs");
  });

  it("hands the signal to the polling: an abort stops a long wait between polls", async () => {
    const controller = new AbortController();
    const { vm } = await vmInBackground((index) => {
      if (index === 1) setTimeout(() => controller.abort(), 20);
      return polled("running");
    });
    const error = await rejection(
      vm.exec("make", { pollIntervalMs: 60_000, signal: controller.signal }),
    );
    expect(error.code).toBe("aborted");
    expect((error as CommandFailedError).result).toBeUndefined();
  }, 4000);
});
