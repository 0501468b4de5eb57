import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

function sources(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
  });
}

// The umbrella ships this CLI as its `arker` bin (issue 11 item 13): the CLI must not
// depend on the umbrella, in its manifest or in any import of its sources and tests.
describe("the CLI's dependencies", () => {
  it("are core, vm and filesystems, never @arker-ai/sdk", () => {
    const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    const all = {
      ...manifest.dependencies,
      ...manifest.devDependencies,
      ...manifest.peerDependencies,
    };
    expect(Object.keys(all)).not.toContain("@arker-ai/sdk");
    const importers = [...sources(join(root, "src")), ...sources(join(root, "test"))].filter(
      (file) =>
        /from\s+["']@arker-ai\/sdk["']|import\(\s*["']@arker-ai\/sdk["']\s*\)/.test(
          readFileSync(file, "utf8"),
        ),
    );
    expect(importers).toEqual([]);
  });
});
