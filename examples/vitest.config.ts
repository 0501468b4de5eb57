import { defineConfig } from "vitest/config";

// A downstream project: the example imports the packages as a user would (their built
// entry points), so `pnpm build` first (turbo's test task does).
export default defineConfig({
  test: { include: ["src/**/*.test.ts"], testTimeout: 60_000 },
});
