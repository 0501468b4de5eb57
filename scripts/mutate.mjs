#!/usr/bin/env node
// `pnpm mutate [package...] [stryker flags]`: runs StrykerJS (vitest runner, TypeScript
// checker) on each named package (default: core, vm, filesystems, testing, cli), incrementally, and prints
// each package's mutation score — killed ÷ valid mutants, where valid leaves out mutants
// that do not compile — from the JSON report under .tmp/mutation/<package>/.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const all = ["core", "vm", "filesystems", "testing", "cli"];
// Arguments from the first flag on go to Stryker as they are (`--mutate <file>` narrows a run).
const args = process.argv.slice(2);
const firstFlag = args.findIndex((arg) => arg.startsWith("-"));
const strykerArgs = firstFlag === -1 ? [] : args.slice(firstFlag);
const chosen = (firstFlag === -1 ? args : args.slice(0, firstFlag)).map((arg) =>
  arg.replace(/^@arker-ai\//, ""),
);
for (const name of chosen) {
  if (!all.includes(name)) {
    console.error(`unknown package ${name}; choose from ${all.join(", ")}`);
    process.exit(2);
  }
}
const strykerBin = join(root, "node_modules", ".bin", "stryker");

/** Counts of a Stryker JSON report (mutation-testing-report-schema) by status. */
export function score(report) {
  const counts = {};
  for (const file of Object.values(report.files)) {
    for (const mutant of file.mutants) counts[mutant.status] = (counts[mutant.status] ?? 0) + 1;
  }
  const killed = (counts.Killed ?? 0) + (counts.Timeout ?? 0);
  const valid = killed + (counts.Survived ?? 0) + (counts.NoCoverage ?? 0);
  return {
    killed,
    valid,
    survived: counts.Survived ?? 0,
    noCoverage: counts.NoCoverage ?? 0,
    counts,
    score: valid === 0 ? 100 : (100 * killed) / valid,
  };
}

const summary = {};
for (const name of chosen.length > 0 ? chosen : all) {
  const started = Date.now();
  // The TypeScript checker reads the package's dependencies from their dist (turbo caches
  // it); the CLI's own dist too, since some of its tests run the built bin.
  execFileSync(
    "pnpm",
    [
      "exec",
      "turbo",
      "run",
      "build",
      name === "cli" ? "--filter=@arker-ai/cli..." : `--filter=@arker-ai/${name}^...`,
    ],
    {
      cwd: root,
      stdio: "inherit",
    },
  );
  execFileSync(strykerBin, ["run", "stryker.config.mjs", ...strykerArgs], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, ARKER_MUTATE_PACKAGE: name },
  });
  const reportFile = join(root, ".tmp", "mutation", name, "report.json");
  if (!existsSync(reportFile)) throw new Error(`Stryker wrote no report for ${name}`);
  summary[name] = {
    ...score(JSON.parse(readFileSync(reportFile, "utf8"))),
    seconds: Math.round((Date.now() - started) / 1000),
    ...(strykerArgs.length > 0 ? { narrowedBy: strykerArgs.join(" ") } : {}),
  };
}
mkdirSync(join(root, ".tmp", "mutation"), { recursive: true });
const summaryFile = join(root, ".tmp", "mutation", "summary.json");
const previous = existsSync(summaryFile) ? JSON.parse(readFileSync(summaryFile, "utf8")) : {};
writeFileSync(summaryFile, `${JSON.stringify({ ...previous, ...summary }, null, 2)}\n`);
for (const [name, s] of Object.entries(summary)) {
  console.log(
    `${name.padEnd(12)} ${s.score.toFixed(1)} % (${s.killed}/${s.valid} killed, ${s.survived} survived, ${s.noCoverage} uncovered) in ${s.seconds} s${s.narrowedBy ? ` (only ${s.narrowedBy})` : ""}`,
  );
}
