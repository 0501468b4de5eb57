// Proves how the runner reports a shell command cut off by the fake's real-time or output cap.
import { describe, expect, it } from "vitest";
import { bench } from "./runner-unit.js";

describe("runner: the fake's real-resource caps", () => {
  it("a command past maxCommandMs fails timeout, exit 124, with a note naming the option", async () => {
    const b = bench({ maxCommandMs: 300 });
    const answer = await b.start("while true; do :; done");
    expect(answer).toMatchObject({
      status: 200,
      body: { state: "failed", fail_reason: "timeout", exit_code: 124 },
    });
    if (answer.status !== 200) return;
    expect(answer.body.stderr).toMatch(
      /execution deadline[\s\S]*\narker-fake: the command passed the fake's real-time limit of 300 ms \(option maxCommandMs\)\n$/,
    );
  });

  it("a command exiting 124 by itself, or writing the deadline's words, is not cut off", async () => {
    const b = bench({ maxCommandMs: 60_000 });
    expect(await b.start("exit 124")).toMatchObject({
      body: { state: "completed", exit_code: 124, fail_reason: null, stderr: "" },
    });
    expect(await b.start("echo 'execution deadline' >&2; exit 124")).toMatchObject({
      body: { state: "completed", exit_code: 124, stderr: "execution deadline\n" },
    });
  });

  // Retried: a machine that stalls this process for 50 ms would cut a command off for real;
  // the mutants it pins fail every attempt.
  it("near the cap, only exit 124 together with just-bash's deadline message is the cap", {
    retry: 2,
  }, async () => {
    // With a 50 ms cap every run is within the slack of it; these commands take far less
    // once the session's shell exists (its first run sets it up, which may take longer).
    const b = bench({ maxCommandMs: 50 });
    await b.start("echo warm");
    expect(await b.start("exit 124")).toMatchObject({
      body: { state: "completed", exit_code: 124, fail_reason: null, stderr: "" },
    });
    expect(await b.start("echo 'execution deadline' >&2")).toMatchObject({
      body: { state: "completed", exit_code: 0, stderr: "execution deadline\n" },
    });
  });

  it("output past maxOutputBytes fails the run, error, with a note naming the option", async () => {
    const b = bench({ maxOutputBytes: 1000 });
    const answer = await b.start("seq 1 1000");
    expect(answer).toMatchObject({ status: 200, body: { state: "failed", fail_reason: "error" } });
    if (answer.status !== 200) return;
    expect(answer.body.stderr).toMatch(
      /exceeded \(>?1000 bytes\)[\s\S]*\narker-fake: the command's output passed the fake's limit of 1000 bytes \(option maxOutputBytes\)\n$/,
    );
  });

  it("output past maxOutputBytes over many commands (just-bash's total) fails the run the same way", async () => {
    const b = bench({ maxOutputBytes: 1000 });
    const answer = await b.start("for i in 1 2 3 4 5; do seq 1 100; done");
    expect(answer).toMatchObject({ status: 200, body: { state: "failed", fail_reason: "error" } });
    if (answer.status !== 200) return;
    expect(answer.body.stderr).toMatch(
      /total output size exceeded \(>1000 bytes\)[\s\S]*\narker-fake: the command's output passed the fake's limit of 1000 bytes \(option maxOutputBytes\)\n$/,
    );
  });

  it("output under the cap, or a message naming another size, is not a limit", async () => {
    const b = bench({ maxOutputBytes: 1000 });
    expect(
      await b.start("seq 1 10 >/dev/null; echo 'output size limit exceeded (999 bytes)' >&2"),
    ).toMatchObject({
      body: {
        state: "completed",
        fail_reason: null,
        stderr: "output size limit exceeded (999 bytes)\n",
      },
    });
  });
});
