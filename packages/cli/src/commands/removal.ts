import type { CommandContext } from "../framework/context";
import {
  type ArgumentSpec,
  type CommandDefinition,
  defineCommand,
} from "../framework/define-command";
import { failureLines } from "../framework/present";
import { describeError, EXIT_CODES, exitCodeFor } from "../support/errors";

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
  /** The positional arguments (the last takes the ids). */
  arguments: readonly ArgumentSpec[];
  /** The ids and the delete call, from the arguments. */
  targets(args: Args, context: CommandContext): Promise<RemovalTargets>;
}

/**
 * An `rm` command: deletes each id in turn, going on after a failure. Prints the deleted
 * ids (or `{ deleted, failed }` with `--json`) and exits with the first failure's code.
 */
export function defineRemoval<Args>(spec: RemovalSpec<Args>): CommandDefinition {
  return defineCommand<Args, Record<string, never>, Removal>({
    name: spec.name,
    summary: spec.summary,
    examples: spec.examples,
    arguments: spec.arguments,
    action: async ({ args }, context) => removeEach(await spec.targets(args, context)),
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
