import type { BundleName } from "./bundle-size.js";

/**
 * Size budgets in minified + gzipped bytes (1 kB = 1000 bytes), enforced by
 * `bench/check-size.ts` and reported by row 5.
 *
 * @module
 */
export const SIZE_BUDGETS: Readonly<Record<BundleName, number>> = {
  /** The goal: core + vm at most 15 kB min+gz, undici excluded. */
  coreVm: 15_000,
  /** The umbrella: measured at 10 391 B on 2026-11-29 (commit 63e0516); about 20 % headroom. */
  umbrella: 12_500,
};
