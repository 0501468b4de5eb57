import type { CallOptions } from "./call-options";
import { badRequest } from "./errors";

/**
 * Unknown option keys are refused (issue 11, item 14): the real client's options use the
 * wire's snake_case names, ours are camelCase, and a JavaScript caller porting
 * `{ session_id }` must not silently run in the default session.
 */

/**
 * The keys of an options type, as a list the compiler keeps complete: the record must
 * name every key of `T` and nothing else.
 *
 * @example
 * const RUN_KEYS = optionKeys<RunOptions>({ background: true, sessionId: true, … });
 */
export function optionKeys<T>(
  keys: { readonly [K in keyof Required<T>]: true },
): readonly string[] {
  return Object.keys(keys);
}

/** The keys of `CallOptions`, which every resource method's options accept. */
export const CALL_OPTION_KEYS = optionKeys<CallOptions>({
  signal: true,
  timeoutMs: true,
  idempotencyKey: true,
});

/** Refuses unknown keys in the options of a method that takes only `CallOptions`. */
export function rejectUnknownCallOptions(options: unknown, where: string): void {
  rejectUnknownOptions(options, CALL_OPTION_KEYS, where);
}

/**
 * Throws `bad_request` when `options` has an own key outside `knownKeys`, naming the key
 * and, where one exists, the intended spelling: `run: unknown option session_id; did you
 * mean sessionId?`. `where` names the method. A missing (`undefined`/`null`) or
 * non-object `options` is left to the method's own checks. A key is refused whatever its
 * value, `undefined` included: its presence shows the caller meant something.
 */
export function rejectUnknownOptions(
  options: unknown,
  knownKeys: readonly string[],
  where: string,
): void {
  if (typeof options !== "object" || options === null) return;
  for (const key of Object.keys(options)) {
    if (knownKeys.includes(key)) continue;
    const suggestion = suggestKey(key, knownKeys);
    const hint = suggestion === undefined ? "" : `; did you mean ${suggestion}?`;
    throw badRequest(`${where}: unknown option ${printable(key)}${hint}`);
  }
}

/**
 * The known key a misspelled one most likely meant: its camelCase form (`session_id`,
 * `session-id`), the same letters in another case, else the closest within a small edit
 * distance (at most 2, and less than a third of the key's length).
 */
export function suggestKey(key: string, knownKeys: readonly string[]): string | undefined {
  const camel = key
    .toLowerCase()
    .replace(/[_-]+([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
  if (knownKeys.includes(camel)) return camel;
  const folded = key.replace(/[_-]/g, "").toLowerCase();
  const sameLetters = knownKeys.find((known) => known.toLowerCase() === folded);
  if (sameLetters !== undefined) return sameLetters;
  let best: string | undefined;
  let bestDistance = Math.min(2, Math.floor((key.length - 1) / 3));
  for (const known of knownKeys) {
    const distance = editDistance(folded, known.replace(/[_-]/g, "").toLowerCase());
    if (distance <= bestDistance && (best === undefined || distance < bestDistance)) {
      best = known;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Edit distance counting insert, delete, substitute and a swap of two neighbours as one
 * edit each (optimal string alignment): `ubutnu` is one typo away from `ubuntu`.
 */
function editDistance(a: string, b: string): number {
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitute = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      let best = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitute);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (beforePrevious[j - 2] ?? 0) + 1);
      }
      current[j] = best;
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** A key as it appears in the message: short, and without control characters. */
function printable(key: string): string {
  const clean = Array.from(key, (char) => (/\p{Cc}/u.test(char) ? "?" : char)).join("");
  return clean.length > 64 ? `${clean.slice(0, 64)}…` : clean;
}
