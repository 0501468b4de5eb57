import { UsageError } from "../support/errors";

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses a duration such as `90s`, `5m`, `1h`, `250ms` or `1.5h` into milliseconds.
 *
 * @example parseDuration("5m") // 300000
 */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  const ms = match ? Math.round(Number(match[1]) * (UNIT_MS[match[2] as string] as number)) : NaN;
  if (!Number.isSafeInteger(ms)) {
    throw new UsageError(
      `a duration is a number and a unit (ms, s, m, h, d), e.g. 90s; got "${text}"`,
    );
  }
  return ms;
}
