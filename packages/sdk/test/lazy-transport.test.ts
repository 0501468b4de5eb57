import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

// Importing the SDK must not load undici (most of its start-up cost, BENCHMARKS.md row 5)
// nor node:crypto or node:stream (fixtures load node:http only after checking); the first
// request loads undici. Checked on the built packages, from ESM and from CJS, in a
// fresh process each (vitest itself has undici loaded).
const run = promisify(execFile);
const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));

describe("the transport is loaded on the first request", () => {
  it.each(["lazy-transport.mjs", "lazy-transport.cjs"])("%s", async (fixture) => {
    const { stdout } = await run(process.execPath, [`test/fixtures/${fixture}`], {
      cwd: PACKAGE_DIR,
      timeout: 20_000,
    });
    expect(JSON.parse(stdout)).toEqual({
      afterImport: false,
      builtinsAfterImport: [],
      afterCall: true,
      data: [{ ok: true }, { ok: true }],
    });
  });
});
