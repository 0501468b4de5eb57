import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { CliError } from "../support/errors";

const TESTING_PACKAGE: string = "@arker-ai/testing";

/** What `arker dev` needs of a started fake (checked at run time: not a dependency of the CLI). */
export interface FakeServer {
  url: string;
  apiKey: string;
  /** The token of the `/_fake/*` controls (testing 0.7+). */
  controlToken?: string;
  /** A warning when the host bound is not loopback (testing 0.7+). */
  exposure?: string;
  fake?: { readonly requests?: readonly RequestLine[] };
  close(): Promise<void>;
}

/** The fields of a request-log entry `arker dev` prints. */
export interface RequestLine {
  method?: string;
  path?: string;
  status?: number;
}

/** The options of `startFakeServer` that `arker dev` passes on. */
export interface StartOptions {
  port?: number;
  host?: string;
  clock?: string;
}

interface TestingModule {
  startFakeServer(options: StartOptions): Promise<FakeServer>;
}

/** Where {@link loadTesting} looks; tests replace it (in process the package always resolves). */
export interface TestingLookup {
  /** The file of the package in `cwd`'s project; throws like `require.resolve` when absent. */
  resolveInProject(cwd: string): string;
  /** Imports the package from the CLI's own installation. */
  importBesideCli(): Promise<unknown>;
}

const NODE_LOOKUP: TestingLookup = {
  resolveInProject: (cwd) => createRequire(join(cwd, "package.json")).resolve(TESTING_PACKAGE),
  // A variable specifier: bundlers leave the import alone.
  importBesideCli: () => import(TESTING_PACKAGE),
};

/**
 * Loads `@arker-ai/testing` from the project in `cwd` first (its node_modules, as the
 * project's own code would), then from the CLI's own installation: a CLI installed
 * globally must still find the package the project installed.
 */
export async function loadTesting(
  cwd: string,
  lookup: TestingLookup = NODE_LOOKUP,
): Promise<TestingModule> {
  const loaded = (await importFromProject(cwd, lookup)) ?? (await importFromCli(cwd, lookup));
  const candidate = loaded as Partial<TestingModule>;
  if (typeof candidate.startFakeServer !== "function") {
    throw new CliError(
      "missing_dependency",
      "the installed @arker-ai/testing has no startFakeServer; upgrade it",
    );
  }
  return candidate as TestingModule;
}

async function importFromProject(cwd: string, lookup: TestingLookup): Promise<unknown> {
  let resolved: string;
  try {
    resolved = lookup.resolveInProject(cwd);
  } catch (error) {
    if (isPackageMissing(error)) return undefined;
    throw error;
  }
  return import(pathToFileURL(resolved).href);
}

async function importFromCli(cwd: string, lookup: TestingLookup): Promise<unknown> {
  try {
    return await lookup.importBesideCli();
  } catch (error) {
    if (isPackageMissing(error)) throw missing(cwd);
    throw error;
  }
}

function missing(cwd: string): CliError {
  const project = projectDir(cwd);
  const hint =
    project === undefined
      ? "hint: npm install -g @arker-ai/testing (no package.json here: install it beside the global CLI)"
      : `hint: npm install --save-dev @arker-ai/testing (or pnpm add -D @arker-ai/testing) in ${project}`;
  return new CliError(
    "missing_dependency",
    "arker dev needs the package @arker-ai/testing, which is not installed here nor beside the CLI",
    1,
    hint,
  );
}

/** The nearest folder holding a package.json, from `cwd` up. */
function projectDir(cwd: string): string | undefined {
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * True when the package itself cannot be found — not when it is found but broken (a
 * file inside missing mid-rebuild), which must surface as it is.
 */
function isPackageMissing(error: unknown): boolean {
  if (!(error instanceof Error) || !("code" in error)) return false;
  if (error.code !== "ERR_MODULE_NOT_FOUND" && error.code !== "MODULE_NOT_FOUND") return false;
  return /Cannot find (package|module) '@arker-ai\/testing'/.test(error.message);
}
