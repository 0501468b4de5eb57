#!/usr/bin/env node
// Packs the package in the current directory and checks the tarball the way a registry
// consumer would see it: publint for package.json/exports mistakes, attw for types that
// resolve wrongly under ESM or CJS. Run from a package folder (turbo does).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const outDir = mkdtempSync(join(tmpdir(), "arker-pack-"));
try {
  execFileSync("pnpm", ["pack", "--pack-destination", outDir], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  const tarball = readdirSync(outDir).find((name) => name.endsWith(".tgz"));
  if (!tarball) throw new Error(`pnpm pack wrote no tarball in ${outDir}`);
  const path = join(outDir, tarball);
  execFileSync("publint", ["run", path, "--strict"], { stdio: "inherit" });
  // node16 covers both the ESM and the CJS resolution of modern Node; node10 (no
  // `exports` support) cannot see subpaths such as `./wire` and is out of scope.
  execFileSync("attw", [path, "--profile", "node16"], { stdio: "inherit" });
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
