import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.base";

export default defineConfig([
  // The library entry: ESM + CJS with types, like every package.
  packageBuild({ index: "src/index.ts" }),
  // The executable: ESM only, with the shebang, next to the library in dist/. `clean`
  // is off so the two builds never delete each other's files.
  packageBuild(
    { bin: "src/bin.ts" },
    { format: ["esm"], dts: false, clean: false, banner: { js: "#!/usr/bin/env node" } },
  ),
]);
