import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const source = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

// Tests run against the workspace sources of the SDK packages and the fake, so a sibling package's
// `tsup --clean` rebuilding its dist mid-run cannot break them.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@arker-ai\/core\/wire$/, replacement: source("core/src/wire.ts") },
      { find: /^@arker-ai\/core$/, replacement: source("core/src/index.ts") },
      { find: /^@arker-ai\/vm$/, replacement: source("vm/src/index.ts") },
      { find: /^@arker-ai\/filesystems$/, replacement: source("filesystems/src/index.ts") },
      { find: /^@arker-ai\/testing$/, replacement: source("testing/src/index.ts") },
    ],
  },
  test: { include: ["test/**/*.test.ts"], testTimeout: 60_000 },
});
