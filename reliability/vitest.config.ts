import { defineConfig } from "vitest/config";
import { workspaceSourceAliases } from "../vitest.shared";

const soak = process.env.SOAK !== undefined && process.env.SOAK !== "";

// The suites run against the workspace sources of the SDK packages and the fake, so a
// fix in a package is exercised without a rebuild and a sibling's `tsup --clean` cannot
// break a run. Only the CLI is spawned from its built bin (packages/cli/dist/bin.js).
export default defineConfig({
  resolve: { alias: workspaceSourceAliases },
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // One suite at a time: the load suite measures heap and sockets, the chaos suite
    // counts active handles, and two cores are shared.
    fileParallelism: false,
    // --expose-gc lets the load suite collect before it measures the heap.
    execArgv: ["--expose-gc"],
    testTimeout: soak ? 1_800_000 : 180_000,
    hookTimeout: 120_000,
  },
});
