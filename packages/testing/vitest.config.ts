import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // Tests read core's wire constants from source, so they never depend on core's dist.
    alias: {
      "@arker-ai/core/wire": fileURLToPath(new URL("../core/src/wire.ts", import.meta.url)),
    },
  },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
  },
});
