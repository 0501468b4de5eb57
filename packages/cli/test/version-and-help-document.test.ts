import { describe, expect, it } from "vitest";
import packageJson from "../package.json" with { type: "json" };
import { runArker } from "./harness";

const VERSION = {
  name: "@arker-ai/cli",
  version: packageJson.version,
  node: process.versions.node,
};

describe.concurrent("arker version and --version", () => {
  it("arker version prints name, version and node; --json the same as a document", async () => {
    const human = await runArker(["version"]);
    expect(human.code).toBe(0);
    expect(human.text).toBe(`@arker-ai/cli ${VERSION.version} (node ${VERSION.node})\n`);
    expect((await runArker(["version", "--json"])).json()).toEqual(VERSION);
    expect((await runArker(["--json", "version"])).json()).toEqual(VERSION);
  });

  it("--version --json prints the version document; --version alone the bare version", async () => {
    for (const args of [
      ["--version", "--json"],
      ["--json", "-V"],
    ]) {
      const result = await runArker(args);
      expect(result.code).toBe(0);
      expect(result.json()).toEqual(VERSION);
    }
    expect((await runArker(["--version"])).text).toBe(`${VERSION.version}\n`);
  });
});

describe.concurrent("arker --json with no command", () => {
  it("prints the help as one document, exit 0", async () => {
    const result = await runArker(["--json"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe("");
    const help = result.json<{
      name: string;
      version: string;
      options: Array<{ long: string }>;
      commands: Array<{ name: string; aliases: string[]; commands: Array<{ name: string }> }>;
    }>();
    expect(help).toMatchObject({ name: "arker", version: VERSION.version });
    expect(help.options.map((option) => option.long)).toContain("--api-key");
    const mounts = help.commands.find((command) => command.name === "mounts");
    expect(mounts?.aliases).toEqual(["syncs"]);
    expect(mounts?.commands.map((command) => command.name)).toEqual(["ls", "create", "get", "rm"]);
  });

  it("global flags with values are skipped; a command or --help still goes to commander", async () => {
    const flagged = await runArker(["--region", "eu-west-1", "--json"]);
    expect(flagged.json()).toMatchObject({ name: "arker" });
    const help = await runArker(["--json", "--help"]);
    expect(help.code).toBe(0);
    expect(help.text).toMatch(/^Usage: arker /);
  });
});
