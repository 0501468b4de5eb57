import type { Command } from "commander";
import type { CommandContext } from "./context";
import { integerOption } from "./parse-arguments";

/** The part of the SDK's `Page<T>` the CLI uses. */
export interface PageLike<T> extends AsyncIterable<T> {
  /** The items of this page. */
  items: T[];
  /** The cursor of the next page, or `null` on the last page. */
  nextCursor: string | null;
}

/** The list flags every `ls` shares. */
export interface ListFlags {
  /** `--limit`: items per page (1-1000). */
  limit?: number;
  /** `--cursor`: the page to start at. */
  cursor?: string;
  /** `--all`: follow every page. */
  all?: boolean;
}

/** Adds `--limit`, `--cursor` and `--all` to a list command. */
export function addListOptions(command: Command, noun: string): Command {
  return command
    .option(
      "--limit <n>",
      `${noun} per page, 1-1000 (server default 50)`,
      integerOption("--limit", { min: 1, max: 1000 }),
    )
    .option("--cursor <cursor>", "start at this page (the nextCursor of a previous --json page)")
    .option("--all", `follow every page and list all ${noun}`);
}

/**
 * The items of one page, or of every page with `--all`. Returns the cursor of the
 * next page (always `null` with `--all`).
 */
export async function collectPage<T>(
  page: PageLike<T>,
  all: boolean | undefined,
): Promise<{ items: T[]; nextCursor: string | null }> {
  if (!all) return { items: page.items, nextCursor: page.nextCursor };
  const items: T[] = [];
  for await (const item of page) items.push(item);
  return { items, nextCursor: null };
}

/** Tells the user (on stderr, human mode only) that more pages exist. */
export async function hintMorePages(
  context: CommandContext,
  nextCursor: string | null,
): Promise<void> {
  if (nextCursor === null || context.output.json) return;
  await context.output.message(
    context.output.err.dim(`more results: add --all, or --cursor ${nextCursor}`),
  );
}
