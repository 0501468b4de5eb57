import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { BENCH_DIR } from "./child.js";

/**
 * Bundle size as a consumer's bundler would see it: esbuild bundles an entry that
 * re-exports whole packages, minifies for node, leaves `undici` (a dependency every
 * consumer installs once) external, and the output is gzipped with node:zlib at level 9.
 *
 * @module
 */

/** What a size figure is made of. */
export interface BundleSize {
  /** Minified bytes. */
  minifiedBytes: number;
  /** Minified then gzipped bytes: the budgeted figure. */
  gzippedBytes: number;
}

/** The two bundles the bench measures and budgets. */
export const BUNDLES = {
  /** `@arker-ai/core` + `@arker-ai/vm`: the smallest useful SDK. */
  coreVm: ['export * from "@arker-ai/core";', 'export * from "@arker-ai/vm";'].join("\n"),
  /** The umbrella `@arker-ai/sdk`. */
  umbrella: 'export * from "@arker-ai/sdk";',
} as const;

/** Name of one of {@link BUNDLES}. */
export type BundleName = keyof typeof BUNDLES;

/** Bundles, minifies and gzips `entrySource` (resolved from `bench/`) and returns its sizes. */
export async function measureBundle(entrySource: string): Promise<BundleSize> {
  const output = await build({
    stdin: { contents: entrySource, resolveDir: BENCH_DIR, loader: "js", sourcefile: "entry.js" },
    bundle: true,
    minify: true,
    platform: "node",
    format: "esm",
    target: "node20",
    external: ["undici"],
    write: false,
    logLevel: "silent",
  });
  const code = output.outputFiles[0]?.contents ?? new Uint8Array();
  return { minifiedBytes: code.byteLength, gzippedBytes: gzipSync(code, { level: 9 }).byteLength };
}
