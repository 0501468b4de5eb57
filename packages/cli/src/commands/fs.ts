import type { Filesystem } from "@arker-ai/sdk";
import type { Command } from "commander";
import type { CommandContext } from "../context";
import { addListOptions, collectPage, hintMorePages, type ListFlags } from "../list-pages";
import { formatKeyValues, formatTable, type Styles } from "../output";
import { formatBytes } from "../progress";
import { removeEach } from "./vm";

const EXAMPLES = `
Examples:
  $ FS=$(arker fs create datasets)
  $ arker fs ls --name-prefix data
  $ arker fs get "$FS" --json
  $ arker fs rm "$FS"`;

/** Registers `fs ls|create|get|rm` (standalone persistent filesystems). */
export function registerFsCommands(program: Command, context: CommandContext): void {
  const fs = program
    .command("fs")
    .description("manage persistent filesystems (mount them into VMs with `arker syncs`)")
    .addHelpText("after", EXAMPLES);

  addListOptions(
    fs
      .command("ls")
      .description("list filesystems, newest first")
      .option("--name-prefix <prefix>", "only names starting with this"),
    "filesystems",
  )
    .addHelpText(
      "after",
      "\nExamples:\n  $ arker fs ls --all --json | jq -r '.filesystems[].filesystem_id'",
    )
    .action(async (flags: ListFlags & { namePrefix?: string }) => {
      const arker = await context.arker();
      const page = await arker.listFilesystems({
        namePrefix: flags.namePrefix,
        limit: flags.limit,
        cursor: flags.cursor,
      });
      const { items, nextCursor } = await collectPage(page, flags.all);
      if (context.output.json) {
        await context.output.document({ filesystems: items, nextCursor });
        return;
      }
      await context.output.data(filesystemTable(items, context.output.out));
      await hintMorePages(context, nextCursor);
    });

  fs.command("create")
    .description("create a filesystem; prints its id")
    .argument("<name>", "filesystem name")
    .addHelpText("after", "\nExamples:\n  $ FS=$(arker fs create datasets)")
    .action(async (name: string) => {
      const arker = await context.arker();
      const filesystem = await arker.createFilesystem({ name });
      if (context.output.json) {
        await context.output.document(filesystem);
        return;
      }
      await context.output.data(`${filesystem.filesystem_id}\n`);
    });

  fs.command("get")
    .description("show one filesystem")
    .argument("<filesystem>", "filesystem id")
    .addHelpText("after", "\nExamples:\n  $ arker fs get fs_01J...")
    .action(async (filesystemId: string) => {
      const arker = await context.arker();
      const filesystem = await arker.getFilesystem(filesystemId);
      if (context.output.json) {
        await context.output.document(filesystem);
        return;
      }
      await context.output.data(
        formatKeyValues(
          [
            ["id", filesystem.filesystem_id],
            ["name", filesystem.name],
            ["owner", filesystem.owner_org_id],
            ["size", formatBytes(filesystem.size_bytes ?? 0)],
            ["created", filesystem.created_at],
          ],
          context.output.out,
        ),
      );
    });

  fs.command("rm")
    .description("delete filesystems (fails with conflict while mounted)")
    .argument("<filesystem...>", "filesystem ids")
    .addHelpText("after", "\nExamples:\n  $ arker fs rm fs_01J...")
    .action(async (ids: string[]) => {
      const arker = await context.arker();
      await removeEach(context, ids, (id) => arker.deleteFilesystem(id));
    });
}

/** The `arker fs ls` table. */
export function filesystemTable(filesystems: readonly Filesystem[], styles: Styles): string {
  return formatTable(
    filesystems,
    [
      { header: "id", value: (fs) => fs.filesystem_id, style: (text) => styles.cyan(text) },
      { header: "name", value: (fs) => fs.name },
      { header: "size", value: (fs) => formatBytes(fs.size_bytes ?? 0), align: "right" },
      { header: "created", value: (fs) => fs.created_at },
    ],
    styles,
  );
}
