import type { Styles } from "../support/output";
import { parseLimit } from "../support/parse-arguments";
import type { CommandContext } from "./context";
import {
  type ArgumentSpec,
  type CommandDefinition,
  defineCommand,
  type OptionSpec,
} from "./define-command";

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

/** The declaration of an `ls` command; see {@link defineList}. */
export interface ListSpec<Args, Query, Item> {
  /** The one-line description. */
  summary: string;
  /** The examples under `--help`. */
  examples: readonly string[];
  /** The positional arguments (e.g. the VM). */
  arguments?: readonly ArgumentSpec[];
  /** The filters, keyed as the SDK's list options. */
  filters?: readonly OptionSpec[];
  /** What the list holds, for the help of `--limit` and `--all` (`VMs`, `runs`). */
  noun: string;
  /** The key of the items in the `--json` document (`vms`, `runs`). */
  key: string;
  /** Fetches the first page; `query` holds the filters, `limit` and `cursor`. */
  fetch(args: Args, query: Query, context: CommandContext): Promise<PageLike<Item>>;
  /** The human table of the items. */
  table(items: readonly Item[], styles: Styles): string;
}

/**
 * An `ls` command: its filters plus `--limit`, `--cursor` and `--all`; prints
 * `{ <key>: items, nextCursor }` under `--json`, else the table and, when more pages
 * exist, a line on stderr saying how to get them.
 */
export function defineList<Args, Query, Item>(
  spec: ListSpec<Args, Query, Item>,
): CommandDefinition {
  return defineCommand({
    name: "ls",
    summary: spec.summary,
    examples: spec.examples,
    arguments: spec.arguments ?? [],
    options: [...(spec.filters ?? []), ...listOptions(spec.noun)],
    action: async (
      { args, options }: { args: Args; options: Query & ListFlags },
      context,
    ): Promise<Listed<Item>> => {
      const { all, ...query } = options;
      return collectPage(await spec.fetch(args, query as Query, context), all);
    },
    json: (listed) => ({ [spec.key]: listed.items, nextCursor: listed.nextCursor }),
    render: (listed, styles) => ({
      data: spec.table(listed.items, styles.out),
      messages:
        listed.nextCursor === null
          ? []
          : [styles.err.dim(`more results: add --all, or --cursor ${listed.nextCursor}`)],
    }),
  });
}

/** `--limit`, `--cursor` and `--all`, for a list of `noun`. */
function listOptions(noun: string): OptionSpec[] {
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
async function collectPage<T>(page: PageLike<T>, all: boolean | undefined): Promise<Listed<T>> {
  if (!all) return { items: page.items, nextCursor: page.nextCursor };
  const items: T[] = [];
  for await (const item of page) items.push(item);
  return { items, nextCursor: null };
}
