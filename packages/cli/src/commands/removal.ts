import type { CommandContext } from "../framework/context";
import {
  type ArgumentSpec,
  type CommandDefinition,
  defineCommand,
} from "../framework/define-command";
import { failureLines } from "../framework/present";
import { CliError, describeError, EXIT_CODES, exitCodeFor, UsageError } from "../support/errors";
import { askLine } from "../support/prompt";

/** What a delete of several ids did: each id either deleted or failed. */
export interface Removal {
  /** The ids deleted, in order. */
  deleted: string[];
  /** The ids that failed, with the error of each. */
  failed: Array<{ id: string; error: unknown }>;
}

/** What to delete: the ids and how to delete one. */
export interface RemovalTargets {
  /** The ids, in the order given. */
  ids: readonly string[];
  /** Deletes one id. */
  remove(id: string): Promise<void>;
}

/** The declaration of an `rm` command; see {@link defineRemoval}. */
export interface RemovalSpec<Args> {
  /** The command word (`rm`). */
  name: string;
  /** The one-line description. */
  summary: string;
  /** The examples under `--help`. */
  examples: readonly string[];
  /** What is deleted, a plural in `s` (`VMs`, `sessions`), for the confirmation question. */
  noun: string;
  /** The positional arguments (the last takes the ids). */
  arguments: readonly ArgumentSpec[];
  /** The ids and the delete call, from the arguments. */
  targets(args: Args, context: CommandContext): Promise<RemovalTargets>;
}

/** The flag that skips the confirmation of every `rm`. */
export const YES_FLAG = "-y, --yes";

/**
 * An `rm` command: asks first on a terminal unless `--yes` (and refuses without `--yes`
 * when stdin is not a terminal), then deletes each id in turn, going on after a failure.
 * Prints the deleted ids (or `{ deleted, failed }` with `--json`) and exits with the
 * first failure's code.
 */
export function defineRemoval<Args>(spec: RemovalSpec<Args>): CommandDefinition {
  return defineCommand<Args, { yes?: boolean }, Removal>({
    name: spec.name,
    summary: spec.summary,
    examples: spec.examples,
    notes: "Asks before deleting when stdin is a terminal; scripts and CI must pass --yes.",
    arguments: spec.arguments,
    options: [
      { flags: YES_FLAG, description: "delete without asking (required without a terminal)" },
    ],
    action: async ({ args, options }, context) => {
      const targets = await spec.targets(args, context);
      if (options.yes !== true) await confirm(spec, targets.ids, context);
      return removeEach(targets);
    },
    json: (removal, scrub) => ({
      deleted: removal.deleted,
      failed: removal.failed.map(({ id, error }) => {
        const described = describeError(error);
        return { id, error: { ...described, message: scrub(described.message) } };
      }),
    }),
    render: (removal, styles) => ({
      data: removal.deleted.map((id) => `${id}\n`).join(""),
      messages: removal.failed.flatMap(({ error }) => failureLines(error, styles.err)),
    }),
    exitCode: (removal) =>
      removal.failed[0] === undefined ? EXIT_CODES.ok : exitCodeFor(removal.failed[0].error),
  });
}

async function confirm<Args>(
  spec: RemovalSpec<Args>,
  ids: readonly string[],
  context: CommandContext,
): Promise<void> {
  // The nouns are plain plurals (VMs, filesystems, mounts, sessions).
  const what = `${ids.length} ${ids.length === 1 ? spec.noun.replace(/s$/, "") : spec.noun}`;
  if (context.io.stdinIsTTY !== true) {
    throw new UsageError(
      `refusing to delete ${what} without asking: stdin is not a terminal; pass --yes (-y)`,
    );
  }
  const answer = await askLine(context.io, `delete ${what} (${ids.join(", ")})? [y/N] `);
  if (!/^y(es)?$/i.test(answer?.trim() ?? "")) {
    throw new CliError("declined", "nothing was deleted", EXIT_CODES.failure);
  }
}

async function removeEach({ ids, remove }: RemovalTargets): Promise<Removal> {
  const removal: Removal = { deleted: [], failed: [] };
  for (const id of ids) {
    try {
      await remove(id);
      removal.deleted.push(id);
    } catch (error) {
      removal.failed.push({ id, error });
    }
  }
  return removal;
}
