import { defineConfig } from "vitest/config";
import { workspaceSourceAliases } from "../../vitest.shared";

// ARKER_MUTATE_EXCLUDE (comma-separated globs) leaves slow test files out of a narrowed
// mutation run: Stryker runs every covering test per mutant, and every request covers
// the router, so the whole suite (~100 s here) ran for each surviving mutant.
const mutateExclude = process.env.ARKER_MUTATE_EXCLUDE?.split(",").filter(Boolean) ?? [];

export default defineConfig({
  resolve: { alias: workspaceSourceAliases },
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["**/node_modules/**", ...mutateExclude],
    testTimeout: 20_000,
  },
});
