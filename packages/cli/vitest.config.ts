import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { workspaceSourceAliases } from "../../vitest.shared";

// The tests run the CLI in process (runCli) from its sources; the smoke, dev and terminal
// tests spawn the built binary (dist/bin.js). The fake server runs in the test process
// from its workspace sources, so a sibling package rebuilding its dist mid-run cannot
// break it. `isolate: false` lets the test files share one import of the SDK and the
// fake (each file still starts its own fake); most of the suite's time was importing.
export default defineConfig({
  resolve: { alias: workspaceSourceAliases },
  test: {
    include: ["test/**/*.test.ts"],
    // By absolute path: Stryker (pnpm mutate cli) runs vitest from the repository root.
    globalSetup: [fileURLToPath(new URL("./test/global-setup.ts", import.meta.url))],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    isolate: false,
  },
});
