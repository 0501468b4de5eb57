#!/usr/bin/env node
// Checks the import graph of every package's sources: no file takes part in an import
// cycle, and no folder imports from a folder that imports it back (directly or around a
// longer loop), so layers point one way. Prints each offending loop and exits 1.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const IMPORT =
  /(?:^|[;\s])(?:import|export)\s[^;]*?from\s*["'](\.[^"']+)["']|import\(\s*["'](\.[^"']+)["']\s*\)/g;

/** Every .ts file under a folder. */
function sourceFiles(folder) {
  const files = [];
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(name) && !name.endsWith(".d.ts")) files.push(path);
  }
  return files;
}

/** The file a relative specifier names (`./a`, `./a.js`, `./folder`). */
function resolveSpecifier(from, specifier) {
  const base = resolve(dirname(from), specifier.replace(/\.(js|mjs|cjs)$/, ""));
  for (const candidate of [`${base}.ts`, `${base}.tsx`, join(base, "index.ts")]) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Strongly connected components with more than one member (Tarjan). */
function loops(graph) {
  let index = 0;
  const stack = [];
  const onStack = new Set();
  const indices = new Map();
  const lowlinks = new Map();
  const found = [];
  const visit = (node) => {
    indices.set(node, index);
    lowlinks.set(node, index);
    index++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        lowlinks.set(node, Math.min(lowlinks.get(node), lowlinks.get(next)));
      } else if (onStack.has(next)) {
        lowlinks.set(node, Math.min(lowlinks.get(node), indices.get(next)));
      }
    }
    if (lowlinks.get(node) === indices.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return found;
}

const problems = [];
const packagesRoot = join(root, "packages");
for (const name of readdirSync(packagesRoot)) {
  const source = join(packagesRoot, name, "src");
  if (!existsSync(source)) continue;
  const files = new Map();
  const folders = new Map();
  for (const file of sourceFiles(source)) {
    const text = readFileSync(file, "utf8");
    const targets = new Set();
    for (const match of text.matchAll(IMPORT)) {
      const target = resolveSpecifier(file, match[1] ?? match[2]);
      if (target !== undefined) targets.add(target);
    }
    files.set(file, targets);
    const folder = dirname(file);
    if (!folders.has(folder)) folders.set(folder, new Set());
    for (const target of targets) {
      const targetFolder = dirname(target);
      if (targetFolder !== folder) folders.get(folder).add(targetFolder);
    }
  }
  for (const loop of loops(files)) {
    problems.push(`import cycle in ${name}: ${loop.map((f) => relative(source, f)).join(" ↔ ")}`);
  }
  for (const loop of loops(folders)) {
    const shown = loop.map((f) => `${relative(source, f) || "."}/`).join(" ↔ ");
    problems.push(`folders of ${name} import each other: ${shown}`);
  }
}

if (problems.length > 0) {
  for (const problem of problems) console.error(`check-imports: ${problem}`);
  process.exit(1);
}
console.log("check-imports: no import cycles, folders import one way");
