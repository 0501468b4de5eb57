import type { Sync } from "@arker-ai/sdk";
import type { Command } from "commander";
import type { CommandContext } from "../context";
import { addListOptions, collectPage, hintMorePages, type ListFlags } from "../list-pages";
import { formatKeyValues, formatTable, type Styles } from "../output";
import { removeEach } from "./vm";

const EXAMPLES = `
Examples:
  $ arker syncs create vm_01J... fs_01J... /home/user/data    # mount; prints the sync id
  $ arker syncs ls vm_01J...
  $ arker syncs rm vm_01J... sync_01J...`;

/** Registers `syncs ls|create|get|rm` (filesystem mounts of a VM). */
export function registerSyncsCommands(program: Command, context: CommandContext): void {
  const syncs = program
    .command("syncs")
    .description("mount filesystems into a VM at a path (live, shared mounts)")
    .addHelpText("after", EXAMPLES);

  addListOptions(
    syncs
      .command("ls")
      .description("list a VM's mounts")
      .argument("<vm>", "VM id")
      .option("--filesystem <id>", "only mounts of this filesystem"),
    "syncs",
  )
    .addHelpText("after", "\nExamples:\n  $ arker syncs ls vm_01J... --json")
    .action(async (vmId: string, flags: ListFlags & { filesystem?: string }) => {
      const arker = await context.arker();
      const page = await arker.vm(vmId).listSyncs({
        filesystemId: flags.filesystem,
        limit: flags.limit,
        cursor: flags.cursor,
      });
      const { items, nextCursor } = await collectPage(page, flags.all);
      if (context.output.json) {
        await context.output.document({ syncs: items, nextCursor });
        return;
      }
      await context.output.data(syncTable(items, context.output.out));
      await hintMorePages(context, nextCursor);
    });

  syncs
    .command("create")
    .description("mount a filesystem into a VM; prints the sync id")
    .argument("<vm>", "VM id")
    .argument("<filesystem>", "filesystem id")
    .argument("<path>", "absolute mount path in the VM")
    .addHelpText("after", "\nExamples:\n  $ arker syncs create vm_01J... fs_01J... /home/user/data")
    .action(async (vmId: string, filesystemId: string, path: string) => {
      const arker = await context.arker();
      const sync = await arker.vm(vmId).createSync({ filesystemId, path });
      if (context.output.json) {
        await context.output.document(sync);
        return;
      }
      await context.output.data(`${sync.sync_id}\n`);
    });

  syncs
    .command("get")
    .description("show one mount")
    .argument("<vm>", "VM id")
    .argument("<sync>", "sync id")
    .addHelpText("after", "\nExamples:\n  $ arker syncs get vm_01J... sync_01J...")
    .action(async (vmId: string, syncId: string) => {
      const arker = await context.arker();
      const sync = await arker.vm(vmId).getSync(syncId);
      if (context.output.json) {
        await context.output.document(sync);
        return;
      }
      await context.output.data(
        formatKeyValues(
          [
            ["id", sync.sync_id],
            ["vm", sync.vm_id],
            ["filesystem", sync.filesystem_id],
            ["path", sync.path],
          ],
          context.output.out,
        ),
      );
    });

  syncs
    .command("rm")
    .description("unmount (the filesystem and its files are kept)")
    .argument("<vm>", "VM id")
    .argument("<sync...>", "sync ids")
    .addHelpText("after", "\nExamples:\n  $ arker syncs rm vm_01J... sync_01J...")
    .action(async (vmId: string, syncIds: string[]) => {
      const arker = await context.arker();
      const vm = arker.vm(vmId);
      await removeEach(context, syncIds, (id) => vm.deleteSync(id));
    });
}

/** The `arker syncs ls` table. */
export function syncTable(syncs: readonly Sync[], styles: Styles): string {
  return formatTable(
    syncs,
    [
      { header: "id", value: (sync) => sync.sync_id, style: (text) => styles.cyan(text) },
      { header: "filesystem", value: (sync) => sync.filesystem_id },
      { header: "path", value: (sync) => sync.path },
    ],
    styles,
  );
}
