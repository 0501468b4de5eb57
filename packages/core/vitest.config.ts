import { defineConfig } from "vitest/config";
import { workspaceSourceAliases } from "../../vitest.shared";

export default defineConfig({
  resolve: { alias: workspaceSourceAliases },
  test: { include: ["test/**/*.test.ts"], testTimeout: 60_000 },
});
