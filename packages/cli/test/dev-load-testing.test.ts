import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadTesting } from "../src/dev/load-testing";
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
