/**
 * Small order statistics for benchmark samples. Every function copies before sorting,
 * so callers may pass their sample arrays as they are.
 *
 * @module
 */

/** The `p`-th percentile (0–100) of `values`, linearly interpolated; `NaN` when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lowValue = sorted[low]!;
  return lowValue + (sorted[high]! - lowValue) * (rank - low);
}

/** The median of `values`; `NaN` when empty. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}
