#!/usr/bin/env node
// Adds up the vitest JSON reports every package writes (`.vitest-report.json`) and the
// consumer checks' report, and prints one closing line: "tests: N passed, N failed".
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const reports = [];
for (const folder of ["packages", "."]) {
  const base = join(root, folder);
  for (const name of folder === "." ? ["bench", "reliability", "examples"] : readdirSync(base)) {
    const file = join(base, name, ".vitest-report.json");
    if (existsSync(file)) reports.push([name, JSON.parse(readFileSync(file, "utf8"))]);
  }
}
const consumers = join(root, ".tmp", "consumers-report.json");
if (existsSync(consumers)) reports.push(["consumers", JSON.parse(readFileSync(consumers, "utf8"))]);

let passed = 0;
let failed = 0;
let skipped = 0;
for (const [name, report] of reports) {
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests ?? 0;
  console.log(
    `${name.padEnd(14)} ${report.numPassedTests} passed, ${report.numFailedTests} failed`,
  );
}
if (reports.length === 0) {
  console.log("tests: 0 passed, 1 failed (no test reports found)");
  process.exit(1);
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed === 0 ? 0 : 1;
