// Proves which runs the runner answers on the spot (no promise) and that those answers match a shell run's.
import { describe, expect, it } from "vitest";
import { bench } from "./runner-unit.js";

describe("runner: answers on the spot", () => {
  it("answers `true`, `:` and `false` (spaces around allowed) at once with an auto clock", () => {
    const b = bench({ clock: "auto" });
    const answers = ["true", " : ", "false"].map((command) => b.start(command));
    for (const answer of answers) expect(answer).not.toBeInstanceOf(Promise);
    expect(answers.map((answer) => (answer as { body: { exit_code: number } }).body)).toMatchObject(
      [
        { state: "completed", exit_code: 0, fail_reason: null, stdout: "", stderr: "" },
        { state: "completed", exit_code: 0 },
        { state: "completed", exit_code: 1, fail_reason: null },
      ],
    );
    expect(b.state.runs.list(b.vm).map((run) => run.state)).toEqual([
      "completed",
      "completed",
      "completed",
    ]);
    expect(b.state.runs.isBusy(b.vm)).toBe(false);
  });

  it("waits for the shell or time otherwise: another command, an env, background, a window of 0", async () => {
    const cases = [
      ["echo", {}],
      ["true", { env: { A: "1" } }],
      ["true", { background: true }],
      ["true", { syncWindowMs: 0 }],
    ] as const;
    for (const [command, input] of cases) {
      const answer = bench({ clock: "auto" }).start(command, input);
      expect(answer).toBeInstanceOf(Promise);
      await answer;
    }
  });

  it("waits for a stub's turn, or a manual clock", async () => {
    const stubbed = bench({ clock: "auto" });
    stubbed.state.stubs.on("other", () => ({}));
    const withStub = stubbed.start("true");
    expect(withStub).toBeInstanceOf(Promise);
    expect(await withStub).toMatchObject({ status: 200, body: { exit_code: 0 } });
    const manual = bench().start("true");
    expect(manual).toBeInstanceOf(Promise);
    await manual;
  });

  it("queues `true` behind a run on its session", async () => {
    const b = bench({ clock: "auto" });
    const first = b.start("echo one");
    const second = b.start("true");
    expect(second).toBeInstanceOf(Promise);
    await Promise.all([first, second]);
  });

  it("runs `false` with an env in the shell, with the same exit code", async () => {
    const b = bench({ clock: "auto" });
    expect(await b.start("false", { env: { A: "1" } })).toMatchObject({
      status: 200,
      body: { state: "completed", exit_code: 1 },
    });
    expect(await b.start("false", { background: true })).toMatchObject({ status: 202 });
  });
});
