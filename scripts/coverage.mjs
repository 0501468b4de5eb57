#!/usr/bin/env node
// `pnpm coverage <package> [vitest flags]`: runs one package's tests with V8 coverage of its
// `src` and prints the lines and branches no test runs. Each is a mutant that cannot be
// killed, found in one test run rather than a mutation run of hours (TESTING.md).
// Reports (JSON summary, per-file JSON, HTML) go to .tmp/coverage/<package>/.
import { execFileSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const packages = ["core", "vm", "filesystems", "testing", "cli"];
const [name, ...vitestArgs] = process.argv.slice(2).filter((argument) => argument !== "--");
const chosen = name?.replace(/^@arker-ai\//, "");
if (chosen === undefined || !packages.includes(chosen)) {
  console.error(`usage: pnpm coverage <package> [vitest flags]; packages: ${packages.join(", ")}`);
  process.exit(2);
}
const reports = join(root, ".tmp", "coverage", chosen);
execFileSync(
  "pnpm",
  [
    "exec",
    "vitest",
    "run",
    "--coverage.enabled",
    "--coverage.provider=v8",
    "--coverage.include=src/**",
    "--coverage.reporter=text-summary",
    "--coverage.reporter=json-summary",
    "--coverage.reporter=json",
    "--coverage.reporter=html",
    `--coverage.reportsDirectory=${reports}`,
    ...vitestArgs,
  ],
  { cwd: join(root, "packages", chosen), stdio: "inherit" },
);
console.log(`reports: ${reports}`);
