/**
 * The shape of one benchmark row as written to `bench/results.json`, and helpers to
 * judge a figure against its goal.
 *
 * @module
 */

/** One side of a comparison, as a median over the kept rounds. */
export interface Side {
  label: string;
  value: number;
  unit: string;
}

/** One measured (or skipped) figure. */
export interface RowResult {
  /** The row number, 1–5. */
  row: number;
  /** A stable id, e.g. `sdk-latency`. */
  id: string;
  title: string;
  baseline: Side | null;
  subject: Side | null;
  /** Median over rounds of subject ÷ baseline; `null` when not a comparison. */
  ratio: number | null;
  /** The goal in words, e.g. `ratio ≤ 1.15`; `null` when the row only reports. */
  goal: string | null;
  /** `null` when there is no goal or the row could not run. */
  pass: boolean | null;
  /** By how much the goal was met or missed, in words. */
  margin: string | null;
  status: "measured" | "skipped" | "failed";
  /** Why a row was skipped or failed, or what a figure means. */
  note?: string;
  /** Raw per-round figures, for whoever wants to check the median. */
  details?: Record<string, unknown>;
}

/** A verdict on one figure. */
export interface Verdict {
  pass: boolean;
  margin: string;
}

/** `value` must be at most `limit`. */
export function atMost(value: number, limit: number, unit = "×"): Verdict {
  const pass = value <= limit;
  const percent = Math.abs((value / limit - 1) * 100).toFixed(1);
  return {
    pass,
    margin: pass
      ? `met: ${fmt(value)}${unit} ≤ ${fmt(limit)}${unit} (${percent} % headroom)`
      : `missed by ${percent} %: ${fmt(value)}${unit} > ${fmt(limit)}${unit}`,
  };
}

/** `value` must be at least `floor`. */
export function atLeast(value: number, floor: number, unit = "×"): Verdict {
  const pass = value >= floor;
  const percent = Math.abs((value / floor - 1) * 100).toFixed(1);
  return {
    pass,
    margin: pass
      ? `met: ${fmt(value)}${unit} ≥ ${fmt(floor)}${unit} (${percent} % above)`
      : `missed by ${percent} %: ${fmt(value)}${unit} < ${fmt(floor)}${unit}`,
  };
}

/** A row that could not run (a package not landed yet, or an error). */
export function notRun(
  row: number,
  id: string,
  title: string,
  goal: string | null,
  status: "skipped" | "failed",
  note: string,
): RowResult {
  return {
    row,
    id,
    title,
    baseline: null,
    subject: null,
    ratio: null,
    goal,
    pass: null,
    margin: null,
    status,
    note,
  };
}

/** Formats a figure with three significant digits (integers above 1000 kept whole). */
export function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString("en-US");
  return Number(value.toPrecision(3)).toString();
}
