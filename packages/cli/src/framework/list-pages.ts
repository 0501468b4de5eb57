import type { Styles } from "../support/output";
import { parseLimit } from "../support/parse-arguments";
import type { OptionSpec } from "./define-command";

/** The part of the SDK's `Page<T>` the CLI uses. */
export interface PageLike<T> extends AsyncIterable<T> {
  /** The items of this page. */
  items: T[];
  /** The cursor of the next page, or `null` on the last page. */
  nextCursor: string | null;
}

/** The list flags every `ls` shares. */
export interface ListFlags {
  /** `--limit`: items per page (the contract's page size). */
  limit?: number;
  /** `--cursor`: the page to start at. */
  cursor?: string;
  /** `--all`: follow every page. */
  all?: boolean;
}

/** One page (or every page) of a list, as `ls --json` prints it under `key`. */
export interface Listed<T> {
  /** The items. */
  items: T[];
  /** The cursor of the next page (always `null` with `--all`). */
  nextCursor: string | null;
}

/** `--limit`, `--cursor` and `--all`, for a list of `noun`. */
export function listOptions(noun: string): OptionSpec[] {
  return [
    {
      flags: "--limit <n>",
      description: `${noun} per page, 1-1000 (server default 50)`,
      parse: parseLimit,
    },
    {
      flags: "--cursor <cursor>",
      description: "start at this page (the nextCursor of a previous --json page)",
    },
    { flags: "--all", description: `follow every page and list all ${noun}` },
  ];
}

/**
 * The items of one page, or of every page with `--all`. Returns the cursor of the
 * next page (always `null` with `--all`).
 */
export async function collectPage<T>(
  page: PageLike<T>,
  all: boolean | undefined,
): Promise<Listed<T>> {
  if (!all) return { items: page.items, nextCursor: page.nextCursor };
  const items: T[] = [];
  for await (const item of page) items.push(item);
  return { items, nextCursor: null };
}

/** The `--json` document of a list: `{ <key>: items, nextCursor }`. */
export function listDocument<T>(key: string, listed: Listed<T>): Record<string, unknown> {
  return { [key]: listed.items, nextCursor: listed.nextCursor };
}

/** The stderr line telling people that more pages exist (none on the last page). */
export function morePagesMessages(nextCursor: string | null, styles: Styles): string[] {
  return nextCursor === null
    ? []
    : [styles.dim(`more results: add --all, or --cursor ${nextCursor}`)];
}
