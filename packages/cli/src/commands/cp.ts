import { stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { pathProblem } from "@arker-ai/core/contract";
import { type Definition, defineCommand } from "../framework/define-command";
import { UsageError } from "../support/errors";
import { signalOf } from "../support/interrupt-signal";
import { createTransferProgress } from "../support/progress";

/** One side of `arker cp`: a local path, or `<vm>:<path>` in a VM. */
type Side = { local: string } | { vm: string; path: string };

/** What `arker cp` did. */
interface CopyOutcome {
  direction: "upload" | "download";
  vmId: string;
  source: string;
  destination: string;
  kind: "file" | "directory";
  entries: number;
  bytes: number;
}

/**
 * `<vm>:<absolute path>` names a VM's file: the VM part has no `/` (a local `./a:b` or
 * `/tmp/a:b` stays local).
 */
function sideOf(text: string): Side {
  const match = /^([^/:]+):(\/.*)$/.exec(text);
  if (match === null) return { local: text };
  const path = match[2] as string;
  const problem = pathProblem(path);
  if (problem !== undefined) throw new UsageError(problem);
  return { vm: match[1] as string, path };
}

async function isLocalDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

const cp = defineCommand({
  name: "cp",
  summary: "copy files or folders between the local disk and a VM (<vm>:<path>)",
  examples: [
    "arker cp ./project my-vm:/home/user/project      # a folder, recursively",
    "arker cp ./run.sh vm_01J...:/usr/local/bin/       # into a folder: keeps the name",
    "arker cp my-vm:/home/user/project/dist ./dist     # and back",
    "arker cp my-vm:/var/log/app.log . --json",
  ],
  notes: `One side is <vm>:<path> (a VM id or name, an absolute path), as in docker cp. Folders
are copied recursively with their modes (executable bits); symlinks inside them stay
symlinks. A destination that is an existing folder (or, in a VM, ends with /) receives
the source under its own name. Transfers over 1 MiB show a progress bar on stderr when
stderr is a terminal.`,
  arguments: [
    { name: "source", description: "local path, or <vm>:<path>" },
    { name: "destination", description: "local path, or <vm>:<path>" },
  ],
  action: async (
    { args }: { args: { source: string; destination: string }; options: unknown },
    context,
  ): Promise<CopyOutcome> => {
    const from = sideOf(args.source);
    const to = sideOf(args.destination);
    if ("vm" in from === "vm" in to) {
      throw new UsageError(
        "cp copies between the local disk and a VM: exactly one side is <vm>:<path>",
      );
    }
    const arker = await context.arker();
    const progress = await createTransferProgress(context.io, `cp ${args.source}`, null);
    const controls = { ...signalOf(context.io), onProgress: progress.onProgress };
    try {
      if ("local" in from && "vm" in to) {
        const vmId = await context.vmId(to.vm);
        const remote = to.path.endsWith("/")
          ? `${to.path}${basename(from.local.replace(/\/+$/, ""))}`
          : to.path;
        const done = await arker.vm(vmId).upload(from.local, remote, controls);
        return { direction: "upload", vmId, source: from.local, destination: remote, ...done };
      }
      const remote = from as { vm: string; path: string };
      const local = (to as { local: string }).local;
      const vmId = await context.vmId(remote.vm);
      const name = basename(remote.path.replace(/\/+$/, "")) || "root";
      const destination = (await isLocalDirectory(local)) ? join(local, name) : local;
      const done = await arker.vm(vmId).download(remote.path, destination, controls);
      return { direction: "download", vmId, source: remote.path, destination, ...done };
    } finally {
      progress.stop();
    }
  },
  json: (outcome) => outcome,
  render: (outcome) => ({
    messages: [
      `copied ${outcome.kind === "directory" ? `${entryCount(outcome.entries)}, ` : ""}${outcome.bytes} bytes ${
        outcome.direction === "upload"
          ? `to ${outcome.vmId}:${outcome.destination}`
          : `to ${outcome.destination}`
      }`,
    ],
  }),
});

/** `1 entry`, `3 entries`. */
function entryCount(entries: number): string {
  return `${entries} ${entries === 1 ? "entry" : "entries"}`;
}

/** `cp`. */
export const CP_COMMANDS: readonly Definition[] = [cp];
