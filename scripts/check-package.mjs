#!/usr/bin/env node
// Packs the package in the current directory and checks the tarball the way a registry
// consumer would see it: the licence and README inside, publint for package.json/exports mistakes, attw for types that
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
  const entries = execFileSync("tar", ["-tzf", path], { encoding: "utf8" }).split("\n");
  for (const required of ["package/LICENSE", "package/README.md", "package/package.json"]) {
    if (!entries.includes(required)) throw new Error(`${tarball} has no ${required.slice(8)}`);
  }
  execFileSync("publint", ["run", path, "--strict"], { stdio: "inherit" });
  // Every resolver attw knows (node10, node16 CJS and ESM, bundler): a node10 consumer
  // sees subpaths such as `./wire` through `typesVersions`, never as silent `any`.
  execFileSync("attw", [path, "--profile", "strict"], { stdio: "inherit" });
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
