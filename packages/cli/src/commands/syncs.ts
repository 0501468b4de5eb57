import type { ListSyncsOptions, Sync } from "@arker-ai/vm";
import { type Definition, defineCommand, defineGroup } from "../framework/define-command";
import { defineList } from "../framework/list-pages";
import { formatKeyValues, formatTable, type Styles } from "../support/output";
import { VM_ARGUMENT } from "./arguments";
import { defineRemoval } from "./removal";

const ls = defineList({
  summary: "list a VM's mounts",
  examples: ["arker mounts ls vm_01J... --json"],
  arguments: [VM_ARGUMENT],
  filters: [
    {
      flags: "--filesystem <id>",
      description: "only mounts of this filesystem",
      key: "filesystemId",
    },
  ],
  noun: "mounts",
  key: "syncs",
  fetch: async (args: { vm: string }, query: ListSyncsOptions, context) =>
    (await context.arker()).vm(await context.vmId(args.vm)).listSyncs(query),
  table: syncTable,
});

const create = defineCommand({
  name: "create",
  summary: "mount a filesystem into a VM; prints the sync id",
  examples: ["arker mounts create vm_01J... fs_01J... /home/user/data"],
  arguments: [
    VM_ARGUMENT,
    { name: "filesystem", description: "filesystem id" },
    { name: "path", description: "absolute mount path in the VM" },
  ],
  action: async (
    { args }: { args: { vm: string; filesystem: string; path: string }; options: unknown },
    context,
  ) =>
    (await context.arker())
      .vm(await context.vmId(args.vm))
      .createSync({ filesystemId: args.filesystem, path: args.path }),
  render: (sync: Sync) => ({ data: `${sync.sync_id}\n` }),
});

const get = defineCommand({
  name: "get",
  summary: "show one mount",
  examples: ["arker mounts get vm_01J... sync_01J..."],
  arguments: [VM_ARGUMENT, { name: "sync", description: "sync id" }],
  action: async ({ args }: { args: { vm: string; sync: string }; options: unknown }, context) =>
    (await context.arker()).vm(await context.vmId(args.vm)).getSync(args.sync),
  render: (sync: Sync, styles) => ({
    data: formatKeyValues(
      [
        ["id", sync.sync_id],
        ["vm", sync.vm_id],
        ["filesystem", sync.filesystem_id],
        ["path", sync.path],
      ],
      styles.out,
    ),
  }),
});

const rm = defineRemoval<{ vm: string; sync: string[] }>({
  name: "rm",
  noun: "mounts",
  summary: "unmount (the filesystem and its files are kept)",
  examples: ["arker mounts rm vm_01J... sync_01J... --yes"],
  arguments: [VM_ARGUMENT, { name: "sync", description: "sync ids", variadic: true }],
  targets: async (args, context) => {
    const vm = (await context.arker()).vm(await context.vmId(args.vm));
    return { ids: args.sync, remove: (id) => vm.deleteSync(id) };
  },
});

/** `mounts ls|create|get|rm` (filesystem mounts of a VM; `syncs` is an alias). */
export const MOUNTS_SUBCOMMANDS: readonly string[] = ["ls", "create", "get", "rm"];

/** The `mounts` group. */
export const SYNCS_COMMANDS: readonly Definition[] = [
  defineGroup({
    name: "mounts",
    aliases: ["syncs"],
    summary: "mount filesystems into a VM at a path (live, shared mounts)",
    examples: [
      "arker mounts create vm_01J... fs_01J... /home/user/data    # mount; prints the sync id",
      "arker mounts ls vm_01J...",
      "arker mounts rm vm_01J... sync_01J... --yes",
    ],
    commands: [ls, create, get, rm],
    notes: "`arker syncs …` is an alias (the API calls a mount a sync).",
  }),
];

/** The `arker mounts ls` table. */
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
