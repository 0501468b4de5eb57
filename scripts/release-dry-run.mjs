#!/usr/bin/env node
// A release rehearsal, nothing published: in a throwaway copy of the repository (tracked
// files plus each package's built dist/), adds a patch changeset for every published
// package, runs `changeset version`, and checks that every package got the same new
// version, a CHANGELOG.md entry for it and internal dependencies on it; then packs every
// package with `pnpm pack` as `pnpm publish` would. Run after `pnpm build`.
import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const published = ["core", "vm", "filesystems", "sdk", "testing", "cli"];
const copy = mkdtempSync(join(tmpdir(), "arker-release-"));
const problems = [];

const readManifest = (base, folder) =>
  JSON.parse(readFileSync(join(base, "packages", folder, "package.json"), "utf8"));

try {
  const tracked = execFileSync("git", ["ls-files"], { cwd: root, encoding: "utf8" }).split("\n");
  for (const file of tracked.filter((name) => name !== "" && existsSync(join(root, name)))) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(root, file), join(copy, file));
  }
  for (const folder of published) {
    const dist = join(root, "packages", folder, "dist");
    if (!existsSync(dist))
      throw new Error(`packages/${folder}/dist is missing: run pnpm build first`);
    cpSync(dist, join(copy, "packages", folder, "dist"), { recursive: true });
  }

  const before = readManifest(copy, "core").version;
  const names = published.map((folder) => readManifest(copy, folder).name);
  writeFileSync(
    join(copy, ".changeset", "release-dry-run.md"),
    `---\n${names.map((name) => `"${name}": patch`).join("\n")}\n---\n\nRelease dry run.\n`,
  );
  const changesetBin = createRequire(join(root, "package.json")).resolve("@changesets/cli/bin.js");
  execFileSync(process.execPath, [changesetBin, "version"], { cwd: copy, stdio: "pipe" });

  // pnpm resolves `workspace:` ranges at pack time from the installed workspace.
  execFileSync("pnpm", ["install", "--offline", "--frozen-lockfile", "--ignore-scripts"], {
    cwd: copy,
    stdio: "pipe",
  });
  const after = readManifest(copy, "core").version;
  if (after === before) problems.push(`changeset version left @arker-ai/core at ${before}`);
  // A major bump must come from a changeset that asks for one, never as a side effect
  // (e.g. of the CLI's optional peer dependency on the testing package).
  const pending = readdirSync(join(root, ".changeset")).filter(
    (file) => file.endsWith(".md") && file !== "README.md",
  );
  const asksMajor = pending.some((file) =>
    /:\s*major\s*$/m.test(readFileSync(join(root, ".changeset", file), "utf8")),
  );
  if (!asksMajor && after.split(".")[0] !== before.split(".")[0]) {
    problems.push(`${before} -> ${after} is a major bump no changeset asked for`);
  }
  for (const folder of published) {
    const manifest = readManifest(copy, folder);
    if (manifest.version !== after) {
      problems.push(`${manifest.name} is at ${manifest.version}, not the group's ${after}`);
    }
    const changelog = join(copy, "packages", folder, "CHANGELOG.md");
    if (!existsSync(changelog) || !readFileSync(changelog, "utf8").includes(`## ${after}`)) {
      problems.push(`${manifest.name}: CHANGELOG.md has no "## ${after}" entry`);
    }
    const packDir = join(copy, ".packed");
    execFileSync("pnpm", ["pack", "--pack-destination", packDir], {
      cwd: join(copy, "packages", folder),
      stdio: "pipe",
    });
    const tarball = join(
      packDir,
      `${manifest.name.replace("@", "").replace("/", "-")}-${after}.tgz`,
    );
    const packed = JSON.parse(
      execFileSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" }),
    );
    const ranges = Object.entries(packed.dependencies ?? {}).filter(([name]) =>
      name.startsWith("@arker-ai/"),
    );
    for (const [name, range] of ranges) {
      if (range !== `^${after}`)
        problems.push(`${manifest.name} packs ${name}@${range}, not ^${after}`);
    }
  }
  for (const problem of problems) console.error(problem);
  if (problems.length === 0) {
    console.log(
      `release dry run: ${published.length} packages ${before} -> ${after}, changelogs written, all packed`,
    );
  }
} finally {
  rmSync(copy, { recursive: true, force: true });
}
process.exitCode = problems.length === 0 ? 0 : 1;
