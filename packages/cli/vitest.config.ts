import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const source = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

// Unit tests import the CLI's sources; the end-to-end tests spawn the built binary
// (dist/bin.js). The fake server runs in the test process from its workspace sources,
// so a sibling package rebuilding its dist mid-run cannot break it.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@arker-ai\/core\/wire$/, replacement: source("core/src/wire.ts") },
      { find: /^@arker-ai\/core$/, replacement: source("core/src/index.ts") },
      { find: /^@arker-ai\/vm$/, replacement: source("vm/src/index.ts") },
      { find: /^@arker-ai\/filesystems$/, replacement: source("filesystems/src/index.ts") },
      { find: /^@arker-ai\/sdk$/, replacement: source("sdk/src/index.ts") },
      { find: /^@arker-ai\/testing$/, replacement: source("testing/src/index.ts") },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
