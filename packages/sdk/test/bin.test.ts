import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createFakeArker } from "@arker-ai/testing";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const shim = fileURLToPath(new URL("../bin/arker.mjs", import.meta.url));
const manifest = (path: string) =>
  JSON.parse(readFileSync(new URL(path, import.meta.url), "utf8")) as {
    bin?: Record<string, string>;
    files?: string[];
    dependencies?: Record<string, string>;
  };

// Issue 11 item 13: `npm install @arker-ai/sdk` then `npx arker` works (the packed tarball
// is checked by scripts/consumer-checks.mjs); the CLI never depends on the umbrella.
describe("the umbrella's arker bin", () => {
  it("is declared, shipped, and runs the CLI's built bin", async () => {
    const sdk = manifest("../package.json");
    expect(sdk.bin).toEqual({ arker: "./bin/arker.mjs" });
    expect(sdk.files).toContain("bin");
    expect(sdk.dependencies?.["@arker-ai/cli"]).toBeDefined();
    const { stdout } = await run(process.execPath, [shim, "--help"], { timeout: 20_000 });
    expect(stdout).toMatch(/^Usage: arker /);
    expect(stdout).toMatch(/tunnels\s+forward ports of a VM to URLs/);
  }, 30_000);

  it("talks to a server like the CLI itself", async () => {
    const fake = await createFakeArker({ listen: true, python: false });
    try {
      const { stdout } = await run(process.execPath, [shim, "fork", "ubuntu", "--json"], {
        timeout: 20_000,
        env: { PATH: process.env.PATH, ARKER_BASE_URL: fake.url, ARKER_API_KEY: fake.apiKey },
      });
      expect(JSON.parse(stdout).vm_id).toMatch(/^vm_/);
    } finally {
      await fake.close();
    }
  }, 30_000);

  it("makes no dependency cycle: the CLI depends on core, vm and filesystems, not the umbrella", () => {
    const cli = manifest("../../cli/package.json");
    expect(
      Object.keys(cli.dependencies ?? {}).filter((name) => name.startsWith("@arker-ai/")),
    ).toEqual(["@arker-ai/core", "@arker-ai/filesystems", "@arker-ai/vm"]);
  });
});
