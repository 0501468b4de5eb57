import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { readAll } from "../cli-io";
import type { CommandContext } from "../context";
import { encodeBytes } from "../documents";
import { CliError } from "../errors";
import { createTransferProgress } from "../progress";

const EXAMPLES = `
Examples:
  $ arker sync vm_01J... /home/user/out.csv > out.csv        # read to stdout
  $ arker sync vm_01J... /home/user/data.bin ./data.bin      # write a local file
  $ tar c src | arker sync vm_01J... /tmp/src.tar -          # write from stdin
  $ arker sync vm_01J... /etc/hostname --json | jq -r .content

Bytes pass through unchanged in both directions. Transfers over 1 MiB show a progress
bar on stderr when stderr is a terminal.`;

/** Registers `sync` (read a file to stdout, or write one from a file or stdin). */
export function registerSyncCommand(program: Command, context: CommandContext): void {
  program
    .command("sync")
    .description("read a VM file to stdout, or write one from a local file or stdin (-)")
    .argument("<vm>", "VM id")
    .argument("<path>", "absolute path in the VM")
    .argument("[source]", "local file to upload, or - to read stdin")
    .addHelpText("after", EXAMPLES)
    .action(async (vmId: string, path: string, source: string | undefined) => {
      if (source === undefined) {
        await readToStdout(context, vmId, path);
      } else {
        await writeFromSource(context, vmId, path, source);
      }
    });
}

async function readToStdout(context: CommandContext, vmId: string, path: string): Promise<void> {
  const arker = await context.arker();
  const progress = await createTransferProgress(context.io, `read ${path}`, null);
  let bytes: Uint8Array;
  try {
    bytes = await arker
      .vm(vmId)
      .readFile(path, { onProgress: (event) => progress.onProgress(event) });
  } finally {
    progress.stop();
  }
  if (context.output.json) {
    const { text, encoding } = encodeBytes(bytes);
    await context.output.document({ vmId, path, size: bytes.byteLength, encoding, content: text });
    return;
  }
  await context.output.data(bytes);
}

async function writeFromSource(
  context: CommandContext,
  vmId: string,
  path: string,
  source: string,
): Promise<void> {
  if (source === "-" && context.io.stdinIsTTY) {
    await context.output.message(
      context.output.err.dim("reading the file from the terminal; end it with Ctrl-D"),
    );
  }
  const data = source === "-" ? await readAll(context.io.stdin) : await readLocalFile(source);
  const arker = await context.arker();
  const progress = await createTransferProgress(context.io, `write ${path}`, data.byteLength);
  try {
    await arker
      .vm(vmId)
      .writeFile(path, data, { onProgress: (event) => progress.onProgress(event) });
  } finally {
    progress.stop();
  }
  if (context.output.json) {
    await context.output.document({ vmId, path, size: data.byteLength, written: true });
    return;
  }
  await context.output.message(`wrote ${data.byteLength} bytes to ${vmId}:${path}`);
}

async function readLocalFile(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const reason = error instanceof Error && "code" in error ? String(error.code) : String(error);
    throw new CliError("local_io", `cannot read ${file}: ${reason}`);
  }
}
