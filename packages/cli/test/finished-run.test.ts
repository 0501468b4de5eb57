import { describe, expect, it } from "vitest";
import { finishedRunView } from "../src/commands/finished-run";
import type { RunLike } from "../src/support/documents";
import { stylesFor } from "../src/support/output";

const styles = { out: stylesFor(false), err: stylesFor(false) };

function runOf(fields: Partial<RunLike>): RunLike {
  return {
    runId: "run_1",
    state: "completed",
    exitCode: 0,
    failReason: null,
    sessionId: "sess_1",
    stdout: new Uint8Array(),
    stderr: new Uint8Array(),
    ...fields,
  };
}

describe("finishedRunView.render", () => {
  it("says a run was cancelled even when the service gave no reason", () => {
    const rendering = finishedRunView.render(runOf({ state: "cancelled", exitCode: 130 }), styles);
    expect(rendering.messages).toEqual(["arker: run run_1 cancelled"]);
  });

  it("says nothing more for a run that exited normally", () => {
    expect(finishedRunView.render(runOf({ exitCode: 3 }), styles).messages).toEqual([]);
  });
});
