import { BUNDLES, type BundleName, measureBundle } from "../lib/bundle-size.js";
import type { BenchContext } from "../lib/context.js";
import { atMost, notRun, type RowResult } from "../lib/result.js";
import { SIZE_BUDGETS } from "../lib/size-budget.js";

/**
 * Row 5b: minified + gzipped size of core + vm and of the umbrella (esbuild, node,
 * undici external), against the budgets of `lib/size-budget.ts`.
 *
 * @module
 */

const TITLES: Record<BundleName, string> = {
  coreVm: "Size: core + vm, min+gz (undici external)",
  umbrella: "Size: @arker-ai/sdk umbrella, min+gz (undici external)",
};

/** Measures both bundles. */
export async function runBundleSize(context: BenchContext): Promise<RowResult[]> {
  context.log("row 5: bundle sizes (esbuild, minify, gzip -9)");
  const results: RowResult[] = [];
  for (const name of Object.keys(BUNDLES) as BundleName[]) {
    const budget = SIZE_BUDGETS[name];
    const goal = `≤ ${(budget / 1000).toFixed(1)} kB min+gz`;
    try {
      const size = await measureBundle(BUNDLES[name]);
      const verdict = atMost(size.gzippedBytes / 1000, budget / 1000, " kB");
      results.push({
        row: 5,
        id: `size-${name === "coreVm" ? "core-vm" : "umbrella"}`,
        title: TITLES[name],
        baseline: null,
        subject: { label: "min+gz", value: size.gzippedBytes / 1000, unit: "kB" },
        ratio: null,
        goal,
        pass: verdict.pass,
        margin: verdict.margin,
        status: "measured",
        note: `minified ${(size.minifiedBytes / 1000).toFixed(1)} kB before gzip`,
        details: { ...size, budgetBytes: budget },
      });
    } catch (error) {
      results.push(notRun(5, `size-${name}`, TITLES[name], goal, "failed", String(error)));
    }
  }
  return results;
}
