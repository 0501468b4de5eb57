import { BUNDLES, type BundleName, measureBundle } from "./lib/bundle-size.js";
import { SIZE_BUDGETS } from "./lib/size-budget.js";

/**
 * Size-budget check for CI: bundles core + vm and the umbrella the way row 5 does and
 * exits 1 when either is over its budget in `lib/size-budget.ts`.
 *
 * Run: `pnpm --filter @arker-ai/bench check-size` (after `pnpm build`).
 */
async function main(): Promise<void> {
  let over = false;
  for (const name of Object.keys(BUNDLES) as BundleName[]) {
    const size = await measureBundle(BUNDLES[name]);
    const budget = SIZE_BUDGETS[name];
    const ok = size.gzippedBytes <= budget;
    over ||= !ok;
    console.log(
      `${ok ? "ok  " : "OVER"} ${name.padEnd(8)} ${size.gzippedBytes} B min+gz ` +
        `(budget ${budget} B, minified ${size.minifiedBytes} B)`,
    );
  }
  if (over) {
    console.error("size budget exceeded: see bench/lib/size-budget.ts");
    process.exitCode = 1;
  }
}

await main();
