// StrykerJS for one package at a time: `pnpm mutate [package]` (scripts/mutate.mjs) sets
// ARKER_MUTATE_PACKAGE. Runs from the repository root so each package's vitest config
// finds the shared aliases (vitest.shared.ts) in Stryker's sandbox copy.
import { createRequire } from "node:module";

// pnpm keeps plugins out of Stryker's own node_modules, so name them by path.
const require = createRequire(import.meta.url);
const name = process.env.ARKER_MUTATE_PACKAGE;
if (!name) throw new Error("set ARKER_MUTATE_PACKAGE (run `pnpm mutate <package>`)");
const out = `.tmp/mutation/${name}`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: "pnpm",
  plugins: [
    require.resolve("@stryker-mutator/vitest-runner"),
    require.resolve("@stryker-mutator/typescript-checker"),
  ],
  mutate: [`packages/${name}/src/**/*.ts`],
  testRunner: "vitest",
  vitest: {
    configFile: `packages/${name}/vitest.config.ts`,
    dir: `packages/${name}`,
    related: false,
  },
  checkers: ["typescript"],
  tsconfigFile: `packages/${name}/tsconfig.json`,
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  ignorePatterns: [
    ".tmp",
    ".stryker-tmp",
    "**/dist",
    // The CLI's tests also run its built bin (test/harness.ts), which imports the built
    // packages: its sandbox keeps every package's dist.
    ...(name === "cli" ? ["!packages/*/dist"] : []),
    "**/.turbo",
    "bench/results*",
    "**/.vitest-report.json",
  ],
  incremental: true,
  incrementalFile: `${out}/incremental.json`,
  reporters: ["html", "json", "progress"],
  htmlReporter: { fileName: `${out}/index.html` },
  jsonReporter: { fileName: `${out}/report.json` },
  concurrency: Number(process.env.ARKER_MUTATE_CONCURRENCY ?? 2),
  // Past vitest's own 20 s test timeout: a mutant that makes a test hang then fails that
  // test (a real kill), and Stryker's Timeout is left for a synchronous endless loop. A
  // shorter one on a busy machine counted slow but passing runs as kills (TESTING.md,
  // "Stryker's Timeouts re-checked").
  timeoutMS: 60_000,
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};
