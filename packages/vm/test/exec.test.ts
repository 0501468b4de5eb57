import { ArkerError } from "@arker-ai/core";
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, rejection, sendJson, setup } from "../../../test-support/local-server";
import { CommandFailedError, VmClient } from "../src/index";

afterEach(cleanup);

function completed(extra: Record<string, unknown> = {}) {
  return {
    stdout: "4\n",
    stdout_encoding: "utf-8",
    stderr: "",
    stderr_encoding: "utf-8",
    exit_code: 0,
    run_id: "run_1",
    state: "completed",
    fail_reason: null,
    session_id: "sess_0",
    ...extra,
  };
}

function wireRun(state: string, extra: Record<string, unknown> = {}) {
  return {
    run_id: "run_1",
    state,
    started_at: "2026-01-01T00:00:00Z",
    completed_at: state === "running" ? null : "2026-01-01T00:01:00Z",
    exit_code: state === "running" ? null : 0,
    fail_reason: null,
    stdout: "",
    stdout_encoding: "utf-8",
    stderr: "",
    stderr_encoding: "utf-8",
    session_id: "sess_0",
    command: "make",
    retry_count: 0,
    ...extra,
  };
}

async function vmWith(handler: Parameters<typeof setup>[0]) {
  const ctx = await setup(handler);
  return { ...ctx, vm: new VmClient(ctx.client).vm("vm_1") };
}

describe("exec", () => {
  it("resolves to text output with one request when the run ends inside the window", async () => {
    const { server, vm } = await vmWith((_req, res) =>
      sendJson(res, 200, completed({ stderr: "note ✓\n" })),
    );
    const result = await vm.exec("python3 -c 'print(2 + 2)'");
    expect(result).toEqual({
      runId: "run_1",
      state: "completed",
      exitCode: 0,
      stdout: "4\n",
      stderr: "note ✓\n",
      failReason: null,
      sessionId: "sess_0",
    });
    expect(server.seen).toHaveLength(1);
    expect(server.seen[0]!.json).toEqual({ command: "python3 -c 'print(2 + 2)'" });
  });

  it("refuses background and misspelt options with a did-you-mean, before sending", async () => {
    const { server, vm } = await vmWith((_req, res) => sendJson(res, 200, completed()));
    const background = await rejection(vm.exec("ls", { background: true } as object));
    expect(background.message).toBe("bad_request: exec: unknown option background");
    const snake = await rejection(vm.exec("ls", { session_id: "sess_2" } as object));
    expect(snake.message).toBe(
      "bad_request: exec: unknown option session_id; did you mean sessionId?",
    );
    expect(server.seen).toHaveLength(0);
  });

  it("passes every run option and the caller's idempotency key", async () => {
    const { server, vm } = await vmWith((_req, res) => sendJson(res, 200, completed()));
    await vm.exec("ls", {
      timeout: 5,
      cwd: "/tmp",
      env: { A: "1" },
      sessionId: "sess_2",
      idempotencyKey: "exec-key-1",
    });
    expect(server.seen[0]!.json).toEqual({
      command: "ls",
      timeout: 5,
      cwd: "/tmp",
      env: { A: "1" },
      session_id: "sess_2",
    });
    expect(server.seen[0]!.headers["idempotency-key"]).toBe("exec-key-1");
  });

  it("waits through the switch to background and decodes the finished run", async () => {
    const { server, vm } = await vmWith((_req, res, index) => {
      if (index === 0) return sendJson(res, 202, { run_id: "run_1", state: "running" });
      return sendJson(
        res,
        200,
        index < 2 ? wireRun("running") : wireRun("completed", { stdout: "built\n" }),
      );
    });
    const result = await vm.exec("make", { pollIntervalMs: 10 });
    expect(result.stdout).toBe("built\n");
    expect(server.seen.map((r) => `${r.method} ${r.url}`)).toEqual([
      "POST /v1/vms/vm_1/runs",
      "GET /v1/vms/vm_1/runs/run_1",
      "GET /v1/vms/vm_1/runs/run_1",
    ]);
  });

  it("rejects a non-zero exit with command_failed carrying the run", async () => {
    const { vm } = await vmWith((_req, res) =>
      sendJson(res, 200, completed({ exit_code: 2, stdout: "partial\n", stderr: "boom\n" })),
    );
    const error = await rejection(vm.exec("false"));
    expect(error).toBeInstanceOf(CommandFailedError);
    expect(error).toBeInstanceOf(ArkerError);
    expect(error.code).toBe("command_failed");
    expect(error.status).toBe(0);
    expect(error.message).toBe("command_failed: false exited with code 2 (run run_1): boom");
    expect((error as CommandFailedError).result).toMatchObject({
      exitCode: 2,
      stdout: "partial\n",
      stderr: "boom\n",
      state: "completed",
    });
  });

  it("rejects a failed run (timeout)", async () => {
    const { vm } = await vmWith((_req, res) =>
      sendJson(
        res,
        200,
        completed({ state: "failed", exit_code: 124, fail_reason: "timeout", stdout: "" }),
      ),
    );
    const error = (await rejection(vm.exec("sleep 99", { timeout: 1 }))) as CommandFailedError;
    expect(error.code).toBe("command_failed");
    expect(error.message).toContain("failed (timeout), exit code 124");
    expect(error.result.failReason).toBe("timeout");
  });

  it("check: false resolves with the failure instead", async () => {
    const { vm } = await vmWith((_req, res) => sendJson(res, 200, completed({ exit_code: 3 })));
    const result = await vm.exec("exit 3", { check: false });
    expect(result.exitCode).toBe(3);
  });

  it("refuses a check that is not a boolean before sending", async () => {
    const { server, vm } = await vmWith((_req, res) => sendJson(res, 200, completed()));
    const error = await rejection(vm.exec("ls", { check: "no" as unknown as boolean }));
    expect(error.code).toBe("bad_request");
    expect(server.seen).toHaveLength(0);
  });

  it("keeps the API key out of the failure message even when the output echoes it", async () => {
    const { vm } = await vmWith((_req, res) =>
      sendJson(res, 200, completed({ exit_code: 1, stderr: "key ark_live_test_key\n" })),
    );
    const error = await rejection(vm.exec("env"));
    expect(error.message).not.toContain("ark_live_test_key");
    expect(error.message).toContain("[REDACTED]");
  });
});
