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
    // No shared chunks: each file is one more ESM resolution (a realpath walk) at every
    // cold start, which costs more than parsing the code twice (BENCHMARKS.md, row 5).
    splitting: false,
    treeshake: true,
    // A lazy `import()` (core loads undici on the first request) becomes `require()` in the
    // CJS build, so CJS consumers and their tools (Jest without ESM support) can load it.
    esbuildOptions(options, context) {
      if (context.format === "cjs") options.supported = { "dynamic-import": false };
    },
    ...overrides,
  };
}
