import { readFile } from "node:fs/promises";
import { pathProblem } from "@arker-ai/core/contract";
import type { CommandContext } from "../framework/context";
import { type Definition, defineCommand } from "../framework/define-command";
import { readAll } from "../support/cli-io";
import { encodeBytes } from "../support/documents";
import { CliError, UsageError } from "../support/errors";
import { signalOf } from "../support/interrupt-signal";
import { createTransferProgress } from "../support/progress";
import { MOUNTS_SUBCOMMANDS } from "./syncs";

/** The arguments of `arker sync`. */
interface SyncArgs {
  vm: string;
  path: string;
  source: string | undefined;
}

/** What `arker sync` did: read a file's bytes, or wrote `size` bytes. */
type SyncOutcome =
  | { read: { vmId: string; path: string; bytes: Uint8Array } }
  | { written: { vmId: string; path: string; size: number } };

const sync = defineCommand({
  name: "sync",
  summary: "read a VM file to stdout, or write one from a local file or stdin (-)",
  examples: [
    "arker sync vm_01J... /home/user/out.csv > out.csv        # read to stdout",
    "arker sync vm_01J... /home/user/data.bin ./data.bin      # write a local file",
    "tar c src | arker sync vm_01J... /tmp/src.tar -          # write from stdin",
    "arker sync vm_01J... /etc/hostname --json | jq -r .content",
  ],
  notes: `Bytes pass through unchanged in both directions. Transfers over 1 MiB show a progress
bar on stderr when stderr is a terminal.`,
  arguments: [
    { name: "vm", description: "VM id or name" },
    { name: "path", description: "absolute path in the VM" },
    { name: "source", description: "local file to upload, or - to read stdin", optional: true },
  ],
  action: async ({ args }: { args: SyncArgs; options: unknown }, context): Promise<SyncOutcome> => {
    mistakenForMounts(args);
    const problem = pathProblem(args.path);
    if (problem !== undefined) throw new UsageError(problem);
    return args.source === undefined
      ? { read: await readFromVm(context, await context.vmId(args.vm), args.path) }
      : { written: await writeToVm(context, await context.vmId(args.vm), args.path, args.source) };
  },
  json: (outcome) => {
    if ("written" in outcome) return { ...outcome.written, written: true };
    const { vmId, path, bytes } = outcome.read;
    const { text, encoding } = encodeBytes(bytes);
    return { vmId, path, size: bytes.byteLength, encoding, content: text };
  },
  render: (outcome) =>
    "written" in outcome
      ? {
          messages: [
            `wrote ${outcome.written.size} bytes to ${outcome.written.vmId}:${outcome.written.path}`,
          ],
        }
      : { data: outcome.read.bytes },
});

/** `sync` (read a file to stdout, or write one from a file or stdin). */
export const SYNC_COMMANDS: readonly Definition[] = [sync];

/**
 * `arker sync ls $VM` is one letter away from `arker syncs ls $VM`; a subcommand word in
 * place of the VM id gets a pointer to `arker mounts` instead of a path error.
 */
function mistakenForMounts(args: SyncArgs): void {
  if (!MOUNTS_SUBCOMMANDS.includes(args.vm)) return;
  const rest = [args.path, args.source].filter((word) => word !== undefined).join(" ");
  throw new UsageError(
    `arker sync moves files (sync <vm> <path> [source]); did you mean \`arker mounts ${args.vm} ${rest}\`?`,
  );
}

async function readFromVm(context: CommandContext, vmId: string, path: string) {
  const arker = await context.arker();
  const progress = await createTransferProgress(context.io, `read ${path}`, null);
  try {
    const bytes = await arker.vm(vmId).readFile(path, {
      ...signalOf(context.io),
      onProgress: (event) => progress.onProgress(event),
    });
    return { vmId, path, bytes };
  } finally {
    progress.stop();
  }
}

async function writeToVm(context: CommandContext, vmId: string, path: string, source: string) {
  if (source === "-" && context.io.stdinIsTTY) {
    await context.output.message(
      context.output.err.dim("reading the file from the terminal; end it with Ctrl-D"),
    );
  }
  const data = source === "-" ? await readAll(context.io.stdin) : await readLocalFile(source);
  const arker = await context.arker();
  const progress = await createTransferProgress(context.io, `write ${path}`, data.byteLength);
  try {
    await arker.vm(vmId).writeFile(path, data, {
      ...signalOf(context.io),
      onProgress: (event) => progress.onProgress(event),
    });
  } finally {
    progress.stop();
  }
  return { vmId, path, size: data.byteLength };
}

async function readLocalFile(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const reason = error instanceof Error && "code" in error ? String(error.code) : String(error);
    throw new CliError("local_io", `cannot read ${file}: ${reason}`);
  }
}
