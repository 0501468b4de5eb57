import { afterEach, describe, expect, it } from "vitest";
import { cleanup, rejection, sendJson, setup } from "../../../test-support/local-server";
import { VmClient, validatePath } from "../src/index";
import { resizeRequest } from "../src/resources/resize-request";
import { decodeBase64 } from "../src/support/byte-encoding";
import { newUploadId } from "../src/support/upload-id";

// Each refusal names what is wrong (found by mutation testing: TESTING.md), and the small
// encoders keep their bytes exact.
afterEach(cleanup);

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function refusal(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    expect((error as { code?: string }).code).toBe("bad_request");
    return (error as Error).message;
  }
  throw new Error("expected a bad_request");
}

describe("argument checks name the argument and the rule", () => {
  it("validatePath", () => {
    expect(refusal(() => validatePath(""))).toMatch(/path must be a non-empty string/);
    expect(refusal(() => validatePath(7))).toMatch(/path must be a non-empty string/);
    expect(refusal(() => validatePath("rel/x", "target"))).toMatch(
      /target must be absolute: rel\/x/,
    );
    expect(refusal(() => validatePath("/a\0b"))).toMatch(/path must not contain a NUL byte/);
    expect(refusal(() => validatePath("/a/../b"))).toMatch(
      /path must not contain a "\.\." segment: \/a\/\.\.\/b/,
    );
    expect(refusal(() => validatePath(`/${"x".repeat(5000)}`))).toMatch(
      /path is \d+ bytes; at most \d+ are allowed/,
    );
  });

  it("resize", () => {
    expect(refusal(() => resizeRequest(null as never))).toMatch(/resize needs an object/);
    expect(refusal(() => resizeRequest("big" as never))).toMatch(/resize needs an object/);
    expect(refusal(() => resizeRequest({}))).toMatch(/resize needs at least one of vcpuCount/);
    expect(refusal(() => resizeRequest({ vcpu_count: 0 }))).toMatch(
      /vcpu_count must be an integer from 1 to 64; got 0/,
    );
    expect(refusal(() => resizeRequest({ memory_mib: 0 }))).toMatch(
      /memory_mib must be an integer from 256 to \d+ in steps of 256; got 0/,
    );
    expect(refusal(() => resizeRequest({ memory_mib: 300 }))).toMatch(/memory_mib .* got 300/);
    expect(refusal(() => resizeRequest({ disk_mib: -1 }))).toMatch(
      /disk_mib must be a positive integer; got -1/,
    );
  });

  it("run ids, states and poll intervals", async () => {
    const { server, client } = await setup((_req, res) => sendJson(res, 200, {}));
    const vm = new VmClient(client).vm("vm_1");
    for (const [call, message] of [
      [() => vm.getRun(""), /runId/],
      [() => vm.cancelRun(""), /runId/],
      [() => vm.waitForRun(""), /runId/],
      [() => vm.listRuns({ state: "sleeping" as never }), /state/],
      [() => vm.waitForRun("run_1", { pollIntervalMs: -1 }), /pollIntervalMs .*milliseconds/],
    ] as Array<[() => Promise<unknown>, RegExp]>) {
      const error = await rejection(call());
      expect(error.code).toBe("bad_request");
      expect(error.message).toMatch(message);
    }
    expect(server.seen).toHaveLength(0);
  });
});

describe("waitForRun and its signal", () => {
  it("sleeps between polls: an abort during a long interval ends it after one poll", {
    timeout: 5_000,
  }, async () => {
    const { server, client } = await setup((_req, res) =>
      sendJson(res, 200, {
        run_id: "run_1",
        state: "running",
        started_at: "2026-01-01T00:00:00Z",
        completed_at: null,
        exit_code: null,
        fail_reason: null,
        stdout: "",
        stdout_encoding: "utf-8",
        stderr: "",
        stderr_encoding: "utf-8",
        session_id: "sess_0",
        command: "python3 train.py",
        retry_count: 0,
      }),
    );
    const controller = new AbortController();
    const waiting = new VmClient(client)
      .vm("vm_1")
      .waitForRun("run_1", { pollIntervalMs: 60_000, signal: controller.signal });
    while (server.seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const reason = new Error("user gave up");
    controller.abort(reason);
    const error = await rejection(waiting);
    expect([error.code, error.message]).toEqual(["aborted", "aborted: the call was aborted"]);
    expect(error.cause).toBe(reason);
    expect(server.seen).toHaveLength(1);
  });

  it("passes the signal to each poll: an abort cuts a poll the server never answers", {
    timeout: 5_000,
  }, async () => {
    const { server, client } = await setup(() => {}, { timeoutMs: 600_000 });
    const controller = new AbortController();
    const waiting = new VmClient(client)
      .vm("vm_1")
      .waitForRun("run_1", { signal: controller.signal });
    while (server.seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    expect((await rejection(waiting)).code).toBe("aborted");
  });
});

describe("encoders", () => {
  it("decodeBase64 keeps only the bytes written (trailing whitespace after padding)", () => {
    expect([...decodeBase64("QQ==\n")]).toEqual([0x41]);
    expect([...decodeBase64("QUJD")]).toEqual([0x41, 0x42, 0x43]);
  });

  it("newUploadId carries the time as 10 Crockford characters, most significant first", () => {
    const now = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
    const id = newUploadId(now);
    expect(id).toMatch(/^upl_[0-9A-HJKMNP-TV-Z]{26}$/);
    const time = [...id.slice(4, 14)].reduce((sum, char) => sum * 32 + CROCKFORD.indexOf(char), 0);
    expect(time).toBe(now);
  });

  it("newUploadId keeps drawing fresh random characters past its pool of 256 ids", () => {
    const tails = Array.from({ length: 1000 }, () => newUploadId(0).slice(14));
    for (const tail of tails) expect(tail).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
    expect(new Set(tails).size).toBe(1000);
  });
});
