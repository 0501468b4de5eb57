import { afterEach, describe, expect, it } from "vitest";
import { cleanup, rejection, sendJson, setup } from "../../../test-support/local-server";
import { MAX_RUN_TIMEOUT_SECONDS, type RunOptions, VmClient } from "../src/index";

afterEach(cleanup);

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

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

async function vmWith(handler: Parameters<typeof setup>[0]) {
  const ctx = await setup(handler);
  return { ...ctx, vm: new VmClient(ctx.client).vm("vm_1") };
}

describe("run", () => {
  it("sends the command and decodes a completed run", async () => {
    const { server, vm } = await vmWith((_req, res) => sendJson(res, 200, completed()));
    const run = await vm.run("python3 -c 'print(2 + 2)'");
    expect(server.seen[0]!.method).toBe("POST");
    expect(server.seen[0]!.url).toBe("/v1/vms/vm_1/runs");
    expect(server.seen[0]!.json).toEqual({ command: "python3 -c 'print(2 + 2)'" });
    expect(run.type).toBe("completed");
    if (run.type !== "completed") throw new Error("unreachable");
    expect(text(run.stdout)).toBe("4\n");
    expect(run.stdout).toBeInstanceOf(Uint8Array);
    expect(run.stderr.byteLength).toBe(0);
    expect(run).toMatchObject({
      runId: "run_1",
      state: "completed",
      exitCode: 0,
      failReason: null,
      sessionId: "sess_0",
    });
  });

  it("decodes base64 output byte for byte", async () => {
    const raw = Uint8Array.from([0xff, 0x00, 0xfe, 0x41]);
    const { vm } = await vmWith((_req, res) =>
      sendJson(
        res,
        200,
        completed({
          stdout: Buffer.from(raw).toString("base64"),
          stdout_encoding: "base64",
          stderr: "warn ✓",
          state: "failed",
          exit_code: 124,
          fail_reason: "timeout",
        }),
      ),
    );
    const run = await vm.run("cat blob");
    if (run.type !== "completed") throw new Error("expected completed");
    expect([...run.stdout]).toEqual([...raw]);
    expect(text(run.stderr)).toBe("warn ✓");
    expect(run.state).toBe("failed");
    expect(run.exitCode).toBe(124);
    expect(run.failReason).toBe("timeout");
  });

  it("maps every option to the wire and the idempotency key to the header", async () => {
    const { server, vm } = await vmWith((_req, res) =>
      sendJson(res, 202, { run_id: "run_bg", state: "running" }),
    );
    const run = await vm.run("python3 train.py", {
      background: true,
      idempotencyKey: "train-1",
      timeout: 90,
      sessionId: "sess_7",
      env: { A: "1", B: "" },
      cwd: "/srv",
    });
    expect(run).toEqual({ type: "background", runId: "run_bg", state: "running" });
    expect(server.seen[0]!.json).toEqual({
      command: "python3 train.py",
      background: true,
      timeout: 90,
      session_id: "sess_7",
      env: { A: "1", B: "" },
      cwd: "/srv",
    });
    expect(server.seen[0]!.headers["idempotency-key"]).toBe("train-1");
  });

  it("returns background when a foreground run outlives the synchronous window (202)", async () => {
    const { server, vm } = await vmWith((_req, res) =>
      sendJson(res, 202, { run_id: "run_slow", state: "running" }),
    );
    const run = await vm.run("sleep 100");
    expect(run.type).toBe("background");
    expect(run.runId).toBe("run_slow");
    expect(server.seen[0]!.json).toEqual({ command: "sleep 100" });
  });

  it("generates one idempotency key per call and keeps it across a retry", async () => {
    const { server, vm } = await vmWith((_req, res, index) =>
      index === 0
        ? sendJson(res, 429, { code: "rate_limited", message: "slow down" }, { "retry-after": "0" })
        : sendJson(res, 200, completed()),
    );
    await vm.run("echo hi");
    await vm.run("echo hi");
    const keys = server.seen.map((r) => r.headers["idempotency-key"]);
    expect(keys).toHaveLength(3);
    expect(keys[0]).toBe(keys[1]);
    expect(keys[2]).not.toBe(keys[0]);
  });

  it("rejects an unrecognised answer as internal", async () => {
    const { vm } = await vmWith((_req, res) => sendJson(res, 200, { state: "running" }));
    const error = await rejection(vm.run("true"));
    expect(error.code).toBe("internal");
    expect(error.message).toContain("unrecognized run response shape");
    expect(error.requestId).toBe("req_200");
  });

  it.each([
    ["no exit_code", { exit_code: undefined }],
    ["no run_id", { run_id: undefined }],
    ["an unknown output encoding", { stdout_encoding: "latin1" }],
    ["a non-string stderr", { stderr: 5 }],
  ])("rejects a completed answer with %s as internal", async (_label, change) => {
    const { vm } = await vmWith((_req, res) => sendJson(res, 200, completed(change)));
    const error = await rejection(vm.run("true"));
    expect(error.code).toBe("internal");
    expect(error.status).toBe(200);
  });

  const invalid: Array<[string, string, RunOptions]> = [
    ["an empty command", "", {}],
    ["timeout -1", "true", { timeout: -1 }],
    ["timeout NaN", "true", { timeout: Number.NaN }],
    ["timeout Infinity", "true", { timeout: Number.POSITIVE_INFINITY }],
    ["timeout over a day", "true", { timeout: MAX_RUN_TIMEOUT_SECONDS + 1 }],
    ["timeout as a string", "true", { timeout: "5" as unknown as number }],
    ["a non-string env value", "true", { env: { A: 1 as unknown as string } }],
    ["an env array", "true", { env: [] as unknown as Record<string, string> }],
    ["an empty sessionId", "true", { sessionId: "" }],
    ["an idempotency key of 65 characters", "true", { idempotencyKey: "k".repeat(65) }],
  ];
  it.each(invalid)("rejects %s before any request", async (_label, command, options) => {
    const { server, vm } = await vmWith((_req, res) => sendJson(res, 200, completed()));
    const error = await rejection(vm.run(command, options));
    expect(error.code).toBe("bad_request");
    expect(error.status).toBe(400);
    expect(server.seen).toHaveLength(0);
  });

  it("accepts the timeout bounds 0 and one day", async () => {
    const { server, vm } = await vmWith((_req, res) => sendJson(res, 200, completed()));
    await vm.run("true", { timeout: 0 });
    await vm.run("true", { timeout: MAX_RUN_TIMEOUT_SECONDS });
    expect(server.seen.map((r) => (r.json as { timeout: number }).timeout)).toEqual([0, 86_400]);
  });
});

function wireRun(state: string, extra: Record<string, unknown> = {}) {
  return {
    run_id: "run_1",
    state,
    started_at: "2026-01-01T00:00:00Z",
    completed_at: state === "running" ? null : "2026-01-01T00:00:05Z",
    exit_code: state === "running" ? null : 0,
    fail_reason: null,
    stdout: state === "running" ? "" : "done\n",
    stdout_encoding: "utf-8",
    stderr: "",
    stderr_encoding: "utf-8",
    session_id: "sess_0",
    command: "python3 train.py",
    retry_count: 1,
    ...extra,
  };
}

describe("runs", () => {
  it("getRun decodes the wire run", async () => {
    const { server, vm } = await vmWith((_req, res) => sendJson(res, 200, wireRun("completed")));
    const run = await vm.getRun("run_1");
    expect(server.seen[0]!.url).toBe("/v1/vms/vm_1/runs/run_1");
    expect(text(run.stdout)).toBe("done\n");
    expect(run).toMatchObject({
      runId: "run_1",
      state: "completed",
      exitCode: 0,
      retryCount: 1,
      command: "python3 train.py",
      completedAt: "2026-01-01T00:00:05Z",
      startedAt: "2026-01-01T00:00:00Z",
      sessionId: "sess_0",
    });
  });

  it("waitForRun polls until the run is no longer running", async () => {
    const { server, vm } = await vmWith((_req, res, index) =>
      sendJson(res, 200, wireRun(index < 3 ? "running" : "completed")),
    );
    const run = await vm.waitForRun("run_1", { pollIntervalMs: 10 });
    expect(run.state).toBe("completed");
    expect(server.seen).toHaveLength(4);
    expect(
      server.seen.every((r) => r.method === "GET" && r.url === "/v1/vms/vm_1/runs/run_1"),
    ).toBe(true);
  });

  it("waitForRun keeps polling a running run that has already printed output", async () => {
    const printed = ["epoch 1\n", "epoch 1\nepoch 2\n", "epoch 1\nepoch 2\nwarn\n"];
    const { server, vm } = await vmWith((_req, res, index) =>
      sendJson(
        res,
        200,
        index < printed.length
          ? wireRun("running", { stdout: printed[index], stderr: index > 0 ? "slow\n" : "" })
          : wireRun("completed", { stdout: "epoch 1\nepoch 2\nwarn\ndone\n" }),
      ),
    );
    const run = await vm.waitForRun("run_1", { pollIntervalMs: 10 });
    expect(server.seen).toHaveLength(4);
    expect(run.state).toBe("completed");
    expect(text(run.stdout)).toBe("epoch 1\nepoch 2\nwarn\ndone\n");
  });

  it("waitForRun stops with aborted when its signal fires", async () => {
    const { server, vm } = await vmWith((_req, res) => sendJson(res, 200, wireRun("running")));
    const controller = new AbortController();
    const waiting = vm.waitForRun("run_1", { pollIntervalMs: 10, signal: controller.signal });
    // Abort once the first poll has been answered (a fixed delay raced the first request's set-up).
    while (server.seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    const error = await rejection(waiting);
    expect(error.code).toBe("aborted");
  });

  it("waitForRun rejects a negative poll interval before any request", async () => {
    const { server, vm } = await vmWith((_req, res) => sendJson(res, 200, wireRun("running")));
    const error = await rejection(vm.waitForRun("run_1", { pollIntervalMs: -1 }));
    expect(error.code).toBe("bad_request");
    expect(server.seen).toHaveLength(0);
  });

  it("waitForRun rejects a poll interval longer than one Node timer (it would poll every 1 ms)", async () => {
    const { server, vm } = await vmWith((_req, res) => sendJson(res, 200, wireRun("running")));
    const error = await rejection(vm.waitForRun("run_1", { pollIntervalMs: 1e12 }));
    expect(error.code).toBe("bad_request");
    expect(server.seen).toHaveLength(0);
  });

  it.each([0, 1, 9.5])(
    "waitForRun refuses a poll interval of %j ms (below 10: a tight loop against the service)",
    async (pollIntervalMs) => {
      const { server, vm } = await vmWith((_req, res) => sendJson(res, 200, wireRun("running")));
      const error = await rejection(vm.waitForRun("run_1", { pollIntervalMs }));
      expect([error.code, error.message]).toEqual([
        "bad_request",
        expect.stringMatching(/pollIntervalMs .*10/),
      ]);
      expect(server.seen).toHaveLength(0);
    },
  );

  it("waitForRun gives up with timeout after timeoutMs, while the run goes on", async () => {
    const { server, vm } = await vmWith((_req, res) => sendJson(res, 200, wireRun("running")));
    const started = performance.now();
    const error = await rejection(vm.waitForRun("run_1", { pollIntervalMs: 10, timeoutMs: 500 }));
    expect([error.code, error.status, error.retryable]).toEqual(["timeout", 0, false]);
    expect(error.message).toContain("run_1 was still running after 500 ms");
    expect(performance.now() - started).toBeGreaterThanOrEqual(495);
    expect(server.seen.length).toBeGreaterThanOrEqual(2);
  });

  it("waitForRun keeps timeoutMs when the caller also gives a signal, and keeps the abort as cause", {
    timeout: 5_000,
  }, async () => {
    const { vm } = await vmWith((_req, res) => sendJson(res, 200, wireRun("running")));
    const controller = new AbortController();
    const error = await rejection(
      vm.waitForRun("run_1", { pollIntervalMs: 10, timeoutMs: 200, signal: controller.signal }),
    );
    expect([error.code, error.message]).toEqual([
      "timeout",
      "timeout: run run_1 was still running after 200 ms (the run keeps going)",
    ]);
    expect((error.cause as { code?: string } | undefined)?.code).toBe("aborted");
  });

  it("waitForRun passes a failed poll's error on as it is, without timeoutMs or a signal", async () => {
    const { vm } = await vmWith((_req, res) =>
      sendJson(res, 404, { code: "not_found", message: "no such run" }),
    );
    const error = await rejection(vm.waitForRun("run_1"));
    expect(error.code).toBe("not_found");
  });

  it("waitForRun within timeoutMs returns the finished run; the caller's signal stays aborted", async () => {
    const { vm } = await vmWith((_req, res, index) =>
      sendJson(res, 200, wireRun(index < 1 ? "running" : "completed")),
    );
    const run = await vm.waitForRun("run_1", { pollIntervalMs: 10, timeoutMs: 10_000 });
    expect(run.state).toBe("completed");
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(
      vm.waitForRun("run_1", { signal: controller.signal, timeoutMs: 10_000 }),
    );
    expect(error.code).toBe("aborted");
  });

  it.each([0, -5, Number.NaN, 1e12, "100"])(
    "waitForRun rejects timeoutMs %j before any request",
    async (timeoutMs) => {
      const { server, vm } = await vmWith((_req, res) => sendJson(res, 200, wireRun("running")));
      const error = await rejection(vm.waitForRun("run_1", { timeoutMs: timeoutMs as number }));
      expect(error.code).toBe("bad_request");
      expect(server.seen).toHaveLength(0);
    },
  );

  it("listRuns passes filters and cancelRun deletes", async () => {
    const { server, vm } = await vmWith((req, res) =>
      req.method === "DELETE"
        ? sendJson(res, 200, { cancelled: true })
        : sendJson(res, 200, { runs: [wireRun("running")], next_cursor: null }),
    );
    const page = await vm.listRuns({ state: "running", limit: 10, cursor: "abc" });
    expect(page.items.map((r) => r.run_id)).toEqual(["run_1"]);
    expect(page.hasNextPage()).toBe(false);
    await vm.cancelRun("run_1");
    expect(server.seen.map((r) => `${r.method} ${r.url}`)).toEqual([
      "GET /v1/vms/vm_1/runs?state=running&limit=10&cursor=abc",
      "DELETE /v1/vms/vm_1/runs/run_1",
    ]);
  });

  it("rejects a bad run id or list state before any request", async () => {
    const { server, vm } = await vmWith((_req, res) => sendJson(res, 200, {}));
    expect((await rejection(vm.getRun(""))).code).toBe("bad_request");
    expect((await rejection(vm.cancelRun(""))).code).toBe("bad_request");
    expect((await rejection(vm.listRuns({ state: "done" as never }))).code).toBe("bad_request");
    expect(server.seen).toHaveLength(0);
  });
});
