import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadTesting, type TestingLookup } from "../src/dev/load-testing";
import { CliError } from "../src/support/errors";

/** A project folder whose node_modules holds a stand-in @arker-ai/testing. */
async function projectWith(files: Record<string, string>): Promise<string> {
  const project = await mkdtemp(join(tmpdir(), "arker-load-testing-"));
  const stub = join(project, "node_modules", "@arker-ai", "testing");
  await mkdir(stub, { recursive: true });
  await writeFile(join(project, "package.json"), '{"name":"p","private":true}');
  for (const [name, text] of Object.entries(files)) await writeFile(join(stub, name), text);
  return project;
}

const PACKAGE = '{"name":"@arker-ai/testing","version":"0.0.0","main":"index.cjs"}';

describe.concurrent("loading @arker-ai/testing for arker dev", () => {
  it("takes the project's own copy first", async () => {
    const project = await projectWith({
      "package.json": PACKAGE,
      "index.cjs": "exports.startFakeServer = async () => 'the project copy';\n",
    });
    const testing = await loadTesting(project);
    expect(await testing.startFakeServer({})).toBe("the project copy");
  });

  it("refuses a copy without startFakeServer, saying to upgrade", async () => {
    const project = await projectWith({ "package.json": PACKAGE, "index.cjs": "exports.x = 1;\n" });
    const refused = await loadTesting(project).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CliError);
    expect(refused).toMatchObject({ code: "missing_dependency" });
    expect((refused as Error).message).toContain("has no startFakeServer; upgrade it");
  });

  it("a copy that is found but broken fails as it is, not as a missing package", async () => {
    const project = await projectWith({ "package.json": PACKAGE });
    const failed = await loadTesting(project).catch((error: unknown) => error);
    expect(failed).not.toBeInstanceOf(CliError);
    expect((failed as Error).message).toMatch(/Cannot find module .*index\.cjs/);
  });
});

/** An error shaped like Node's when a package cannot be found. */
function notFound(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

const NOT_IN_PROJECT = notFound("MODULE_NOT_FOUND", "Cannot find module '@arker-ai/testing'");

/** A lookup where the project has no copy and the CLI's own import fails with `error`. */
function lookupFailingWith(error: unknown): TestingLookup {
  return {
    resolveInProject: () => {
      throw NOT_IN_PROJECT;
    },
    importBesideCli: async () => {
      throw error;
    },
  };
}

describe.concurrent("@arker-ai/testing installed nowhere", () => {
  it("falls back to the CLI's own copy when the project has none", async () => {
    const own = { startFakeServer: async () => "the CLI's copy" };
    const testing = await loadTesting(tmpdir(), {
      resolveInProject: () => {
        throw NOT_IN_PROJECT;
      },
      importBesideCli: async () => own,
    });
    expect(await testing.startFakeServer({})).toBe("the CLI's copy");
  });

  it.each([
    ["ERR_MODULE_NOT_FOUND", "Cannot find package '@arker-ai/testing' imported from /x/cli.js"],
    ["MODULE_NOT_FOUND", "Cannot find module '@arker-ai/testing'\nRequire stack: ..."],
  ])("%s for the package: missing_dependency naming the package", async (code, message) => {
    const project = await projectWith({});
    const failed = await loadTesting(project, lookupFailingWith(notFound(code, message))).catch(
      (error: unknown) => error,
    );
    expect(failed).toBeInstanceOf(CliError);
    expect(failed).toMatchObject({
      code: "missing_dependency",
      exitCode: 1,
      message:
        "arker dev needs the package @arker-ai/testing, which is not installed here nor beside the CLI",
    });
  });

  it("the hint names the nearest folder with a package.json, from the working directory up", async () => {
    const project = await projectWith({});
    const deep = join(project, "src", "app");
    await mkdir(deep, { recursive: true });
    const failed = await loadTesting(deep, lookupFailingWith(NOT_IN_PROJECT)).catch(
      (error: unknown) => error as CliError,
    );
    expect((failed as CliError).hint).toBe(
      `hint: npm install --save-dev @arker-ai/testing (or pnpm add -D @arker-ai/testing) in ${project}`,
    );
  });

  it("with no package.json up to the root, the hint says to install it beside the global CLI", async () => {
    const lonely = await mkdtemp(join(tmpdir(), "arker-no-project-"));
    const failed = await loadTesting(lonely, lookupFailingWith(NOT_IN_PROJECT)).catch(
      (error: unknown) => error as CliError,
    );
    expect((failed as CliError).hint).toBe(
      "hint: npm install -g @arker-ai/testing (no package.json here: install it beside the global CLI)",
    );
  });

  it.each([
    ["a thrown string", "boom"],
    ["an error without a code", new Error("Cannot find module '@arker-ai/testing'")],
    ["another code", notFound("EACCES", "Cannot find module '@arker-ai/testing'")],
    ["another package", notFound("ERR_MODULE_NOT_FOUND", "Cannot find package 'commander'")],
    [
      "a file inside it",
      notFound(
        "ERR_MODULE_NOT_FOUND",
        "Cannot find module '/p/node_modules/@arker-ai/testing/dist/index.js' imported from /p/x.js",
      ),
    ],
  ])("any other failure (%s) surfaces as it is, from either place", async (_case, error) => {
    const fromCli = await loadTesting(tmpdir(), lookupFailingWith(error)).catch((e: unknown) => e);
    expect(fromCli).toBe(error);
    const fromProject = await loadTesting(tmpdir(), {
      resolveInProject: () => {
        throw error;
      },
      importBesideCli: async () => ({ startFakeServer: async () => "not reached" }),
    }).catch((e: unknown) => e);
    expect(fromProject).toBe(error);
  });
});
