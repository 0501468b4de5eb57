import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createContext } from "./lib/context.js";
import { ROW_DESCRIPTIONS } from "./lib/descriptions.js";
import { FINDINGS } from "./lib/findings.js";
import { machineInfo } from "./lib/machine.js";
import { type BenchReport, writeMarkdown, writeResultsJson } from "./lib/report.js";
import { notRun, type RowResult } from "./lib/result.js";
import { sourceInfo } from "./lib/source.js";
import { ROWS } from "./rows/index.js";

/**
 * `pnpm bench`: builds the packages under measurement (turbo, cached), runs every row
 * (or `--only=1,3`), and writes `bench/results.json` and `BENCHMARKS.md`.
 *
 * Flags: `--quick` (fewer rounds, smoke test), `--only=<rows>`, `--no-build`.
 */

const RESULTS_JSON = fileURLToPath(new URL("./results.json", import.meta.url));
const BENCHMARKS_MD = fileURLToPath(new URL("../BENCHMARKS.md", import.meta.url));
const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));

const { values } = parseArgs({
  // `pnpm bench -- --only=1` passes the `--` through; drop it so the flags still count.
  args: process.argv.slice(2).filter((argument) => argument !== "--"),
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    "no-build": { type: "boolean", default: false },
  },
  allowPositionals: true,
});

if (!values["no-build"]) buildPackages();

const machine = machineInfo();
const source = sourceInfo();
const context = createContext(values.quick ?? false);
const only = values.only ? new Set(values.only.split(",").map(Number)) : null;
const started = performance.now();
const rows: RowResult[] = [];
for (const row of ROWS) {
  if (only && !only.has(row.row)) continue;
  try {
    rows.push(...(await row.run(context)));
  } catch (error) {
    context.log(`row ${row.row} failed: ${(error as Error).stack ?? String(error)}`);
    rows.push(notRun(row.row, row.id, row.title, null, "failed", String(error)));
  }
}
const report: BenchReport = {
  machine: { ...machine, loadAverageAtEnd: Math.round((os.loadavg()[0] ?? 0) * 100) / 100 },
  durationSeconds: (performance.now() - started) / 1000,
  quick: context.quick,
  source,
  ...(only ? { onlyRows: [...only].sort() } : {}),
  rows: only ? mergeWithPrevious(rows, only) : rows,
};
writeResultsJson(RESULTS_JSON, report);
writeMarkdown(BENCHMARKS_MD, report, ROW_DESCRIPTIONS, FINDINGS);
context.log(
  `wrote ${RESULTS_JSON} and ${BENCHMARKS_MD} in ${Math.round(report.durationSeconds)} s`,
);
for (const row of report.rows) {
  const verdict =
    row.status !== "measured"
      ? row.status
      : row.pass === null
        ? "reported"
        : row.pass
          ? "pass"
          : "MISS";
  context.log(
    `  ${row.row} ${row.id.padEnd(24)} ${verdict.padEnd(8)} ${row.margin ?? row.note ?? ""}`,
  );
}
// Servers and pools may hold the loop open a little longer; the results are written.
process.exit(0);

/** Builds the workspace packages the bench imports (a turbo cache hit when unchanged). */
function buildPackages(): void {
  const result = spawnSync(
    "pnpm",
    ["exec", "turbo", "run", "build", "--filter=@arker-ai/bench^..."],
    {
      cwd: REPO_ROOT,
      stdio: ["ignore", 2, 2],
    },
  );
  if (result.status !== 0) {
    process.stderr.write("build failed; rows whose package did not build will be skipped\n");
  }
}

/** With `--only`, keeps the other rows of the previous results.json. */
function mergeWithPrevious(fresh: RowResult[], rowsRun: Set<number>): RowResult[] {
  if (!existsSync(RESULTS_JSON)) return fresh;
  const previous = (JSON.parse(readFileSync(RESULTS_JSON, "utf8")) as BenchReport).rows;
  return [...previous.filter((row) => !rowsRun.has(row.row)), ...fresh].sort(
    (a, b) => a.row - b.row,
  );
}
