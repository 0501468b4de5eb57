import type { Options } from "tsup";

/**
 * The one tsup setup every published package builds with: ESM + CJS, `.d.ts` and
 * `.d.cts`, Node 20 target, no bundling of dependencies.
 */
export function packageBuild(entry: Record<string, string>, overrides: Options = {}): Options {
  return {
    entry,
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "node20",
    splitting: false,
    treeshake: true,
    ...overrides,
  };
}
