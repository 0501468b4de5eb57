import type { RunDetails, RunSummary, Session } from "@arker-ai/vm";
import { describe, expect, it } from "vitest";
import { runDetails, runTable } from "../src/commands/runs";
import { sessionTable } from "../src/commands/sessions";
import { stylesFor } from "../src/support/output";

const plain = stylesFor(false);
const coloured = stylesFor(true);

function summary(overrides: Partial<RunSummary>): RunSummary {
  return {
    run_id: "run_a",
    state: "completed",
    started_at: "2026-01-02T03:04:05Z",
    completed_at: null,
    exit_code: 7,
    fail_reason: null,
    session_id: "sess_a",
    command: "echo hi",
    retry_count: 0,
    ...overrides,
  };
}

describe("arker runs ls's table", () => {
  it("shows every column's value under its header", () => {
    const lines = runTable([summary({})], plain)
      .trimEnd()
      .split("\n");
    expect(lines[0]).toMatch(/^RUN\s+STATE\s+EXIT\s+STARTED\s+COMMAND$/);
    expect(lines[1]).toMatch(/^run_a\s+completed\s+7\s+2026-01-02T03:04:05Z\s+echo hi$/);
  });

  it("colours each state: completed green, failed and cancelled red, running yellow", () => {
    const states = ["completed", "failed", "cancelled", "running"] as const;
    const table = runTable(
      states.map((state, i) => summary({ run_id: `run_${i}`, state })),
      coloured,
    );
    const rows = table.split("\n").slice(1);
    const cellOf = (state: string) => rows.find((row) => row.includes(state)) ?? "";
    // Cells are padded before they are styled, so compare the opening escape only.
    const opening = (style: (text: string) => string) => style("|").split("|")[0] ?? "";
    expect(opening(coloured.red)).not.toBe("");
    expect(cellOf("completed")).toContain(`${opening(coloured.green)}completed`);
    expect(cellOf("failed")).toContain(`${opening(coloured.red)}failed`);
    expect(cellOf("cancelled")).toContain(`${opening(coloured.red)}cancelled`);
    expect(cellOf("running")).toContain(`${opening(coloured.yellow)}running`);
    expect(cellOf("completed")).toContain(coloured.cyan("run_0"));
  });

  it("leaves a state it does not know (a newer server's) plain", () => {
    // The decoder only checks that state is a string, so a new state reaches the table as is.
    const state = "queued" as unknown as RunSummary["state"];
    const row = runTable([summary({ state })], coloured).split("\n")[1] ?? "";
    expect(row).toContain("queued");
    expect(row).toMatch(/ {2}queued/); // no escape sequence between the gap and the text
  });

  it("puts a multi-line command on one line and cuts it at 60 characters", () => {
    const exact = "x".repeat(60);
    const long = `${"y".repeat(70)}`;
    const table = runTable(
      [
        summary({ run_id: "run_lines", command: "a\n\n  b\tc" }),
        summary({ run_id: "run_exact", command: exact }),
        summary({ run_id: "run_long", command: long }),
      ],
      plain,
    );
    expect(table).toMatch(/run_lines.* a b c\n/);
    expect(table).toMatch(new RegExp(`run_exact.* ${exact}\\n`));
    expect(table).toMatch(new RegExp(`run_long.* ${"y".repeat(59)}…\\n`));
  });
});

describe("arker runs get's view", () => {
  it("shows every field under its own label", () => {
    const run: RunDetails = {
      runId: "run_b",
      state: "failed",
      exitCode: 3,
      failReason: "oom",
      stdout: new Uint8Array(5),
      stderr: new Uint8Array(9),
      sessionId: "sess_b",
      command: "make",
      retryCount: 2,
      startedAt: "2026-01-02T03:04:05Z",
      completedAt: "2026-01-02T03:05:05Z",
    };
    const lines = runDetails(run, plain).trimEnd().split("\n");
    const rows: Array<[string, string]> = [
      ["run", "run_b"],
      ["state", "failed"],
      ["exit code", "3"],
      ["fail reason", "oom"],
      ["session", "sess_b"],
      ["command", "make"],
      ["retries", "2"],
      ["started", "2026-01-02T03:04:05Z"],
      ["completed", "2026-01-02T03:05:05Z"],
      ["stdout", "5 bytes"],
      ["stderr", "9 bytes"],
    ];
    expect(lines).toHaveLength(rows.length);
    rows.forEach(([label, value], i) => {
      expect(lines[i]).toMatch(new RegExp(`^${label}\\s+${value}$`));
    });
  });
});

describe("arker sessions ls's table", () => {
  it("shows every column's value under its header", () => {
    const session: Session = {
      session_id: "sess_c",
      state: "running",
      cwd: "/srv",
      session_idx: 4,
      env: {},
      started_at: "2026-01-02T03:04:05Z",
    };
    const lines = sessionTable([session], plain).trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID\s+INDEX\s+STATE\s+CWD\s+STARTED$/);
    expect(lines[1]).toMatch(/^sess_c\s+4\s+running\s+\/srv\s+2026-01-02T03:04:05Z$/);
  });
});
