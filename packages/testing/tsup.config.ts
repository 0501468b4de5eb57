import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.base";

// Three entries share one engine: code splitting puts it in a chunk per format (ESM and
// CJS), instead of a copy inside each of the six entry files.
export default defineConfig(
  packageBuild(
    { index: "src/index.ts", vitest: "src/vitest.ts", bin: "src/bin.ts" },
    { splitting: true },
  ),
);
