import { defineConfig } from "vitest/config";
import { workspaceSourceAliases } from "../../vitest.shared";

// Unit tests import the CLI's sources; the end-to-end tests spawn the built binary
// (dist/bin.js). The fake server runs in the test process from its workspace sources,
// so a sibling package rebuilding its dist mid-run cannot break it.
export default defineConfig({
  resolve: { alias: workspaceSourceAliases },
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
