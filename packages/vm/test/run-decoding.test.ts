import { describe, expect, it } from "vitest";
import { decodeOutput, decodeRunDetails, decodeRunResult } from "../src/resources/run-decoders";

// How run answers read (docs/arker-api.md, runs); each case was a surviving mutant
// (TESTING.md).

const DETAILS = {
  run_id: "run_1",
  state: "completed",
  started_at: "2026-01-01T00:00:00Z",
  completed_at: "2026-01-01T00:00:01Z",
  exit_code: 5,
  fail_reason: "oom",
  stdout: "out",
  stdout_encoding: "utf-8",
  stderr: "QQ==",
  stderr_encoding: "base64",
  session_id: "sess_0",
  command: "make",
  retry_count: 0,
};

function failure(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    expect((error as { code?: string }).code).toBe("internal");
    return (error as Error).message;
  }
  throw new Error("expected a malformed response");
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("output encodings", () => {
  it("reads utf-8, utf8, null and an absent encoding as text, base64 as bytes", () => {
    for (const encoding of ["utf-8", "utf8", null, undefined]) {
      expect(text(decodeOutput("héllo", encoding, "stdout", null))).toBe("héllo");
    }
    expect([...decodeOutput("QUI=", "base64", "stdout", null)]).toEqual([0x41, 0x42]);
  });

  it("names the field of an unknown encoding", () => {
    expect(failure(() => decodeOutput("x", "latin1", "stderr", null))).toMatch(
      /stderr_encoding is unknown: "latin1"/,
    );
    expect(failure(() => decodeRunDetails({ ...DETAILS, stdout_encoding: "x7" }, null))).toMatch(
      /stdout_encoding is unknown/,
    );
    expect(failure(() => decodeRunDetails({ ...DETAILS, stderr_encoding: "x7" }, null))).toMatch(
      /stderr_encoding is unknown/,
    );
    expect(
      failure(() =>
        decodeRunResult(
          {
            stdout: "",
            exit_code: 0,
            run_id: "r",
            state: "completed",
            fail_reason: null,
            stderr_encoding: "x7",
          },
          null,
        ),
      ),
    ).toMatch(/stderr_encoding is unknown/);
  });
});

describe("run answers", () => {
  it("details keep the exit code, fail reason and each stream's own encoding", () => {
    const run = decodeRunDetails(DETAILS, null);
    expect(run.exitCode).toBe(5);
    expect(run.failReason).toBe("oom");
    expect(text(run.stdout)).toBe("out");
    expect([...run.stderr]).toEqual([0x41]);
    const pending = decodeRunDetails({ ...DETAILS, exit_code: null, fail_reason: null }, null);
    expect([pending.exitCode, pending.failReason]).toEqual([null, null]);
  });

  it("a completed answer without stderr or session reads as empty ones", () => {
    const run = decodeRunResult(
      { stdout: "x", exit_code: 0, run_id: "run_1", state: "completed", fail_reason: null },
      null,
    );
    expect(run.type).toBe("completed");
    if (run.type !== "completed") return;
    expect(run.stderr).toHaveLength(0);
    expect(run.sessionId).toBe("");
  });

  it("names which shape of answer was malformed", () => {
    expect(failure(() => decodeRunResult({ stdout: "x" }, null))).toMatch(
      /completed run response: exit_code/,
    );
    expect(failure(() => decodeRunResult({ run_id: "run_1", state: 7 }, null))).toMatch(
      /background run response: state/,
    );
    expect(failure(() => decodeRunDetails({ ...DETAILS, command: 7 }, null))).toMatch(
      /run response: command/,
    );
  });
});
