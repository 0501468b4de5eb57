#!/usr/bin/env node
// Checks that documentation stays inside the repository and stays true to it:
// - every relative Markdown link in a tracked .md file names a file that exists;
// - a package README links outside its own package only by absolute URL (npm shows the
//   README without the rest of the repository);
// - every `docs/arker-api.md §N` citation in sources and docs names a section the
//   contract document has, and nothing cites the contract by another path;
// - every published package names `repository`, `homepage`, `bugs` and `keywords` and
//   carries the root LICENSE.
// Prints each problem and exits 1 when there is one.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CONTRACT = "docs/arker-api.md";
const tracked = execFileSync("git", ["ls-files"], { cwd: root, encoding: "utf8" })
  .split("\n")
  .filter((file) => file !== "" && existsSync(join(root, file)));
const problems = [];

const contractSections = new Set(
  [...readFileSync(join(root, CONTRACT), "utf8").matchAll(/^##\s+(\d+)\./gm)].map((m) => m[1]),
);

for (const file of tracked.filter((name) => name.endsWith(".md"))) {
  const text = readFileSync(join(root, file), "utf8");
  const packageFolder = /^packages\/[^/]+\//.exec(file)?.[0];
  for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/i.test(target) || target.startsWith("#")) continue;
    const path = target.split("#")[0];
    const absolute = resolve(root, dirname(file), path);
    if (!existsSync(absolute)) problems.push(`${file}: link to a missing file: ${target}`);
    if (packageFolder && !relative(join(root, packageFolder), absolute).match(/^[^.]/)) {
      problems.push(
        `${file}: a package README links outside its package by a relative path: ${target}`,
      );
    }
  }
}

for (const file of tracked.filter((name) => /\.(ts|mjs|md)$/.test(name))) {
  if (file.startsWith(".tmp/") || file === CONTRACT) continue;
  const text = readFileSync(join(root, file), "utf8");
  for (const match of text.matchAll(/([\w./-]*)arker-api\.md(?:\s+§(\d+))?/g)) {
    const [whole, prefix, section] = match;
    const citesRepoCopy = prefix === "docs/" || prefix.endsWith("/docs/") || prefix === "";
    if (!citesRepoCopy || prefix.includes("shared/")) {
      problems.push(`${file}: cites the contract outside the repository: ${whole}`);
    } else if (
      prefix === "" &&
      !/\]\(/.test(text.slice(Math.max(0, match.index - 2), match.index))
    ) {
      problems.push(`${file}: cite the contract by its path, docs/arker-api.md: ${whole}`);
    }
    if (section !== undefined && !contractSections.has(section)) {
      problems.push(`${file}: ${CONTRACT} has no section §${section}`);
    }
  }
}

for (const file of tracked.filter((name) => /^packages\/[^/]+\/package\.json$/.test(name))) {
  const manifest = JSON.parse(readFileSync(join(root, file), "utf8"));
  if (manifest.private) continue;
  const licence = join(root, dirname(file), "LICENSE");
  if (
    !existsSync(licence) ||
    readFileSync(licence, "utf8") !== readFileSync(join(root, "LICENSE"), "utf8")
  ) {
    problems.push(`${dirname(file)}/LICENSE is missing or differs from the root LICENSE`);
  }
  for (const field of ["repository", "homepage", "bugs", "keywords"]) {
    if (manifest[field] === undefined) problems.push(`${file}: no "${field}"`);
  }
}

for (const problem of problems) console.error(problem);
if (problems.length > 0) process.exit(1);
console.log(
  `docs: ${tracked.filter((name) => name.endsWith(".md")).length} Markdown files, links and citations resolve`,
);
