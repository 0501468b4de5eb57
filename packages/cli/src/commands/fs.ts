import type { Filesystem, ListFilesystemsOptions } from "@arker-ai/filesystems";
import { type Definition, defineCommand, defineGroup } from "../framework/define-command";
import { defineList } from "../framework/list-pages";
import { formatKeyValues, formatTable, type Styles } from "../support/output";
import { formatBytes } from "../support/progress";
import { defineRemoval } from "./removal";

const ls = defineList({
  summary: "list filesystems, newest first",
  examples: ["arker fs ls --all --json | jq -r '.filesystems[].filesystem_id'"],
  filters: [{ flags: "--name-prefix <prefix>", description: "only names starting with this" }],
  noun: "filesystems",
  key: "filesystems",
  fetch: async (_args: unknown, query: ListFilesystemsOptions, context) =>
    (await context.arker()).listFilesystems(query),
  table: filesystemTable,
});

const create = defineCommand({
  name: "create",
  summary: "create a filesystem; prints its id",
  examples: ["FS=$(arker fs create datasets)"],
  arguments: [{ name: "name", description: "filesystem name" }],
  action: async ({ args }: { args: { name: string }; options: unknown }, context) =>
    (await context.arker()).createFilesystem({ name: args.name }),
  render: (filesystem: Filesystem) => ({ data: `${filesystem.filesystem_id}\n` }),
});

const get = defineCommand({
  name: "get",
  summary: "show one filesystem",
  examples: ["arker fs get fs_01J..."],
  arguments: [{ name: "filesystem", description: "filesystem id" }],
  action: async ({ args }: { args: { filesystem: string }; options: unknown }, context) =>
    (await context.arker()).getFilesystem(args.filesystem),
  render: (filesystem: Filesystem, styles) => ({ data: filesystemDetails(filesystem, styles.out) }),
});

const rm = defineRemoval<{ filesystem: string[] }>({
  name: "rm",
  noun: "filesystems",
  summary: "delete filesystems (fails with conflict while mounted)",
  examples: ["arker fs rm fs_01J... --yes"],
  arguments: [{ name: "filesystem", description: "filesystem ids", variadic: true }],
  targets: async (args, context) => {
    const arker = await context.arker();
    return { ids: args.filesystem, remove: (id) => arker.deleteFilesystem(id) };
  },
});

/** `fs ls|create|get|rm` (standalone persistent filesystems). */
export const FS_COMMANDS: readonly Definition[] = [
  defineGroup({
    name: "fs",
    summary: "manage persistent filesystems (mount them into VMs with `arker mounts`)",
    examples: [
      "FS=$(arker fs create datasets)",
      "arker fs ls --name-prefix data",
      'arker fs get "$FS" --json',
      'arker fs rm "$FS" --yes',
    ],
    commands: [ls, create, get, rm],
  }),
];

/** The `arker fs get` key/value view. */
export function filesystemDetails(filesystem: Filesystem, styles: Styles): string {
  return formatKeyValues(
    [
      ["id", filesystem.filesystem_id],
      ["name", filesystem.name],
      ["owner", filesystem.owner_org_id],
      ["size", formatBytes(filesystem.size_bytes ?? 0)],
      ["created", filesystem.created_at],
    ],
    styles,
  );
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
