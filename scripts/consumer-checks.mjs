#!/usr/bin/env node
// Installs the packed tarballs with npm into throwaway projects (no workspace links) and
// runs the three ways people use the SDK: (a) the umbrella from ESM and CJS, (b) only
// core + vm, whose installed tree must hold no filesystems package, (c) a downstream
// vitest suite built on @arker-ai/testing, (d) a node10-resolution TypeScript consumer
// whose misspelled wire field must not compile, (e) the installed `arker` whose bash
// completion script loads (`complete -p arker`) — the CLI installed alone, without the
// umbrella —, (f) a globally installed `arker dev` that finds @arker-ai/testing in the
// project it runs in, (g) `npx arker` from the umbrella (its `arker` bin runs the CLI).
// (a), (b) and (g) talk to a listening fake server started from this workspace, so the
// consumer projects install only what they claim. The umbrella depends on the CLI, so
// every project that installs it gets the CLI's tarball too (none is published here).
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const fixtures = join(root, "scripts", "consumers");
const work = mkdtempSync(join(tmpdir(), "arker-consumers-"));
const packages = ["core", "vm", "filesystems", "sdk", "testing", "cli"];
let failures = 0;
let passes = 0;

function run(command, args, cwd, env = {}) {
  return execFileSync(command, args, {
    cwd,
    env: { ...process.env, ...env },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function pack() {
  const tarballs = {};
  const outDir = join(work, "tarballs");
  for (const name of packages) {
    run("pnpm", ["pack", "--pack-destination", outDir], join(root, "packages", name));
    tarballs[name] = join(
      outDir,
      readdirSync(outDir).find((f) => f.startsWith(`arker-ai-${name}-`)),
    );
  }
  return tarballs;
}

function project(name, dependencies, fixture) {
  const dir = join(work, name);
  cpSync(join(fixtures, fixture), dir, { recursive: true });
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: `consumer-${name}`, private: true, version: "0.0.0" }, null, 2),
  );
  // --ignore-scripts: no dependency runs code at install (just-bash's optional native
  // compression addons would run prebuild-install / node-gyp; the fake never uses them).
  run(
    "npm",
    ["install", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error", ...dependencies],
    dir,
  );
  return dir;
}

async function check(label, body) {
  try {
    await body();
    passes++;
    console.log(`ok   ${label}`);
  } catch (error) {
    failures++;
    console.log(`FAIL ${label}\n${error.stdout ?? ""}${error.stderr ?? ""}${error.stack ?? error}`);
  }
}

function startFakeServer() {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      [join(root, "packages/testing/dist/bin.js"), "--port", "0"],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const url = /ARKER_BASE_URL=['"]?([^\s'"]+)/.exec(out)?.[1];
      const key = /ARKER_API_KEY=['"]?([^\s'"]+)/.exec(out)?.[1];
      if (url && key) resolvePromise({ child, env: { ARKER_BASE_URL: url, ARKER_API_KEY: key } });
    });
    child.on("exit", (code) => reject(new Error(`arker-fake exited early (${code}): ${out}`)));
  });
}

const tarballs = pack();
const fake = await startFakeServer();
try {
  await check("(a) umbrella @arker-ai/sdk from ESM and CJS", () => {
    const dir = project(
      "umbrella",
      [tarballs.core, tarballs.vm, tarballs.filesystems, tarballs.cli, tarballs.sdk],
      "umbrella",
    );
    const esm = run("node", ["esm.mjs"], dir, fake.env);
    const cjs = run("node", ["cjs.cjs"], dir, fake.env);
    if (!esm.includes("esm: 4")) throw new Error(`ESM run printed: ${esm}`);
    if (!cjs.includes("cjs: 4")) throw new Error(`CJS run printed: ${cjs}`);
  });
  await check("(b) only @arker-ai/core + @arker-ai/vm, no filesystems in the tree", () => {
    const dir = project("core-vm", [tarballs.core, tarballs.vm], "core-vm");
    const tree = run("npm", ["ls", "--all", "--parseable"], dir);
    if (/filesystems|@arker-ai[\\/]sdk/.test(tree))
      throw new Error(`unexpected packages installed:\n${tree}`);
    const out = run("node", ["snippet.mjs"], dir, fake.env);
    if (!out.includes("core+vm: 4")) throw new Error(`snippet printed: ${out}`);
  });
  await check("(c) a downstream vitest suite on @arker-ai/testing", () => {
    const dir = project(
      "downstream",
      [
        tarballs.core,
        tarballs.vm,
        tarballs.filesystems,
        tarballs.cli,
        tarballs.sdk,
        tarballs.testing,
        "vitest@4.1.12",
        "vite@8.3.8",
      ],
      "downstream",
    );
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes.
    const out = run("npx", ["vitest", "run"], dir).replace(/\x1b\[[0-9;]*m/g, "");
    if (!/Tests\s+\d+ passed/.test(out)) throw new Error(`vitest printed: ${out}`);
  });
  await check("(d) a node10 (CommonJS) TypeScript consumer gets real subpath types", () => {
    const dir = project("node10", [tarballs.core, "typescript@5.9.3"], "node10");
    run("npx", ["tsc", "-p", "tsconfig.json"], dir);
    let failure;
    try {
      run("npx", ["tsc", "-p", "tsconfig.bad.json"], dir);
    } catch (error) {
      failure = `${error.stdout}${error.stderr}`;
    }
    if (!failure?.includes("this_field_does_not_exist"))
      throw new Error(`a misspelled wire field compiled under node10: ${failure ?? "no error"}`);
  });
  await check("(e) the CLI installed alone: its bash completion loads", () => {
    const dir = project(
      "cli",
      [tarballs.core, tarballs.vm, tarballs.filesystems, tarballs.cli],
      "cli",
    );
    const tree = run("npm", ["ls", "--all", "--parseable"], dir);
    if (/@arker-ai[\\/]sdk/.test(tree)) throw new Error(`the CLI pulled in the umbrella:\n${tree}`);
    const out = run(
      "bash",
      [
        "-c",
        'PATH="$PWD/node_modules/.bin:$PATH"; source <(arker completion bash); complete -p arker',
      ],
      dir,
    );
    if (!out.includes("-F _arker_completion arker")) throw new Error(`complete -p printed: ${out}`);
  });
  await check("(f) a globally installed arker dev finds @arker-ai/testing in the project", () => {
    // The CLI goes into its own npm prefix, as `npm install -g` puts it; the testing
    // package only into the project the command runs in.
    const prefix = join(work, "global-prefix");
    run(
      "npm",
      [
        "install",
        "--global",
        "--prefix",
        prefix,
        "--ignore-scripts",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
        tarballs.core,
        tarballs.vm,
        tarballs.filesystems,
        tarballs.cli,
      ],
      work,
    );
    const dir = project("dev-project", [tarballs.core, tarballs.testing], "dev-project");
    const arker = join(prefix, "bin", "arker");
    const env = { ARKER_STATE_DIR: join(work, "dev-state"), NODE_PATH: "" };
    const started = run(arker, ["dev", "--detach", "--port", "0"], dir, env);
    try {
      const url = /ARKER_BASE_URL=['"]?([^\s'"]+)/.exec(started)?.[1];
      const key = /ARKER_API_KEY=['"]?([^\s'"]+)/.exec(started)?.[1];
      if (!url || !key) throw new Error(`arker dev --detach printed: ${started}`);
      const forked = run(arker, ["fork", "ubuntu", "--json"], dir, {
        ...env,
        ARKER_BASE_URL: url,
        ARKER_API_KEY: key,
      });
      if (!/"vm_id"/.test(forked)) throw new Error(`arker fork printed: ${forked}`);
    } finally {
      run(arker, ["dev", "stop"], dir, env);
    }
  });
  await check("(g) npm install @arker-ai/sdk, then npx arker --help and a command", () => {
    const dir = project(
      "umbrella-bin",
      [tarballs.core, tarballs.vm, tarballs.filesystems, tarballs.cli, tarballs.sdk],
      "umbrella",
    );
    const help = run("npx", ["--no-install", "arker", "--help"], dir);
    if (!/^Usage: arker /.test(help)) throw new Error(`npx arker --help printed: ${help}`);
    const forked = run("npx", ["--no-install", "arker", "fork", "ubuntu", "--json"], dir, fake.env);
    if (!/"vm_id"/.test(forked)) throw new Error(`npx arker fork printed: ${forked}`);
  });
} finally {
  fake.child.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
}
mkdirSync(join(root, ".tmp"), { recursive: true });
writeFileSync(
  join(root, ".tmp", "consumers-report.json"),
  JSON.stringify({ numPassedTests: passes, numFailedTests: failures }),
);
console.log(`consumers: ${passes} passed, ${failures} failed`);
process.exitCode = failures === 0 ? 0 : 1;
