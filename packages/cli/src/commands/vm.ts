import type { ForkOptions, VmInfo } from "@arker-ai/sdk";
import type { Command } from "commander";
import type { CommandContext } from "../context";
import { describeError, exitCodeFor, formatError, hintFor, UsageError } from "../errors";
import { addListOptions, collectPage, hintMorePages, type ListFlags } from "../list-pages";
import { formatKeyValues, formatTable, type Styles } from "../output";
import { choiceOption, integerOption } from "../parse-arguments";

/** Examples shown under `--help`, one block per command. */
const EXAMPLES = {
  fork: `
Examples:
  $ arker fork ubuntu-full                      # a public golden; prints the new VM id
  $ VM=$(arker fork ubuntu --name scratch)
  $ arker fork vm_01J... --name branch --durable
  $ arker fork my-template --source-org-id org_123 --json`,
  ls: `
Examples:
  $ arker ls
  $ arker ls --state running --limit 10
  $ arker ls --all --json | jq -r '.vms[].vm_id'`,
  get: `
Examples:
  $ arker get vm_01J...
  $ arker get vm_01J... --json | jq .state`,
  rm: `
Examples:
  $ arker rm vm_01J...
  $ arker rm vm_a vm_b vm_c --json`,
  resize: `
Examples:
  $ arker resize vm_01J... --vcpus 4 --memory-mib 8192
  $ arker resize vm_01J... --disk-mib 20480`,
};

interface ForkFlags {
  name?: string;
  durable?: boolean;
  sourceOrgId?: string;
  public?: boolean;
  vcpus?: number;
  memoryMib?: number;
  diskMib?: number;
  idempotencyKey?: string;
}

interface LsFlags extends ListFlags {
  state?: "idle" | "running";
  sourceOrgId?: string;
}

interface ResizeFlags {
  vcpus?: number;
  memoryMib?: number;
  diskMib?: number;
}

/** Registers `fork`, `ls`, `get`, `rm` and `resize`. */
export function registerVmCommands(program: Command, context: CommandContext): void {
  program
    .command("fork")
    .description("fork a golden or a VM into a new VM (constant-time copy-on-write)")
    .argument("<source>", "public golden name, VM id (vm_...) or VM name in your org")
    .option("--name <name>", "name of the new VM")
    .option("--durable", "resume runs on a healthy host if this one fails")
    .option("--source-org-id <org>", "org that owns the source (public goldens: inferred)")
    .option("--public", "let other orgs fork the new VM")
    .option(
      "--vcpus <n>",
      "vCPUs of the new VM (1-64)",
      integerOption("--vcpus", { min: 1, max: 64 }),
    )
    .option("--memory-mib <n>", "memory in MiB", integerOption("--memory-mib", { min: 1 }))
    .option("--disk-mib <n>", "disk in MiB", integerOption("--disk-mib", { min: 1 }))
    .option("--idempotency-key <key>", "replaying the same key returns the same VM")
    .addHelpText("after", EXAMPLES.fork)
    .action(async (source: string, flags: ForkFlags) => {
      const arker = await context.arker();
      const options: ForkOptions = {};
      if (flags.name !== undefined) options.name = flags.name;
      if (flags.durable) options.durable = true;
      if (flags.sourceOrgId !== undefined) options.sourceOrgId = flags.sourceOrgId;
      if (flags.public) options.public = true;
      if (flags.vcpus !== undefined) options.vcpuCount = flags.vcpus;
      if (flags.memoryMib !== undefined) options.memoryMib = flags.memoryMib;
      if (flags.diskMib !== undefined) options.diskMib = flags.diskMib;
      if (flags.idempotencyKey !== undefined) options.idempotencyKey = flags.idempotencyKey;
      const vm = await arker.fork(source, options);
      if (context.output.json) {
        await context.output.document(vm.info ?? (await vm.get()));
      } else {
        await context.output.data(`${vm.id}\n`);
      }
    });

  addListOptions(
    program
      .command("ls")
      .description("list your VMs, newest first")
      .option(
        "--state <state>",
        "only idle or running VMs",
        choiceOption("--state", ["idle", "running"] as const),
      )
      .option("--source-org-id <org>", "VMs of this org (ArkerHQ lists the public goldens)"),
    "VMs",
  )
    .addHelpText("after", EXAMPLES.ls)
    .action(async (flags: LsFlags) => {
      const arker = await context.arker();
      const page = await arker.listVms({
        state: flags.state,
        limit: flags.limit,
        cursor: flags.cursor,
        sourceOrgId: flags.sourceOrgId,
      });
      const { items, nextCursor } = await collectPage(page, flags.all);
      if (context.output.json) {
        await context.output.document({ vms: items, nextCursor });
        return;
      }
      await context.output.data(vmTable(items, context.output.out));
      await hintMorePages(context, nextCursor);
    });

  program
    .command("get")
    .description("show one VM")
    .argument("<vm>", "VM id")
    .addHelpText("after", EXAMPLES.get)
    .action(async (vmId: string) => {
      const arker = await context.arker();
      const info = await arker.getVm(vmId);
      if (context.output.json) {
        await context.output.document(info);
        return;
      }
      await context.output.data(vmDetails(info, context.output.out));
    });

  program
    .command("rm")
    .description("delete one or more VMs")
    .argument("<vm...>", "VM ids")
    .addHelpText("after", EXAMPLES.rm)
    .action(async (vmIds: string[]) => {
      const arker = await context.arker();
      await removeEach(context, vmIds, (id) => arker.vm(id).delete());
    });

  program
    .command("resize")
    .description("change a VM's vCPUs, memory or disk (disk can only grow)")
    .argument("<vm>", "VM id")
    .option("--vcpus <n>", "vCPUs (1-64)", integerOption("--vcpus", { min: 1, max: 64 }))
    .option(
      "--memory-mib <n>",
      "memory in MiB (256-262144, a multiple of 256)",
      integerOption("--memory-mib", { min: 1 }),
    )
    .option("--disk-mib <n>", "disk in MiB", integerOption("--disk-mib", { min: 1 }))
    .addHelpText("after", EXAMPLES.resize)
    .action(async (vmId: string, flags: ResizeFlags) => {
      const size: { vcpu_count?: number; memory_mib?: number; disk_mib?: number } = {};
      if (flags.vcpus !== undefined) size.vcpu_count = flags.vcpus;
      if (flags.memoryMib !== undefined) size.memory_mib = flags.memoryMib;
      if (flags.diskMib !== undefined) size.disk_mib = flags.diskMib;
      if (Object.keys(size).length === 0) {
        throw new UsageError("resize needs at least one of --vcpus, --memory-mib, --disk-mib");
      }
      const arker = await context.arker();
      await arker.vm(vmId).resize(size);
      if (context.output.json) {
        await context.output.document({ vmId, resized: true, ...size });
        return;
      }
      await context.output.message(`resized ${vmId}`);
    });
}

/**
 * Deletes each id in turn, going on after a failure. Prints the deleted ids (or
 * `{ deleted, failed }` with `--json`) and exits with the first failure's code.
 */
export async function removeEach(
  context: CommandContext,
  ids: readonly string[],
  remove: (id: string) => Promise<void>,
): Promise<void> {
  const deleted: string[] = [];
  const failed: Array<{ id: string; error: ReturnType<typeof describeError> }> = [];
  for (const id of ids) {
    try {
      await remove(id);
      deleted.push(id);
      if (!context.output.json) await context.output.data(`${id}\n`);
    } catch (error) {
      failed.push({ id, error: describeError(error) });
      await context.output.message(context.output.err.red(formatError(error)));
      const hint = hintFor(error);
      if (hint) await context.output.message(context.output.err.dim(hint));
      if (context.exitCode === 0) context.exitCode = exitCodeFor(error);
    }
  }
  if (context.output.json) await context.output.document({ deleted, failed });
}

function stateStyle(styles: Styles) {
  return (text: string) =>
    text.trim() === "running"
      ? styles.green(text)
      : text.trim() === "idle"
        ? styles.dim(text)
        : text;
}

/** The `arker ls` table. */
export function vmTable(vms: readonly VmInfo[], styles: Styles): string {
  return formatTable(
    vms,
    [
      { header: "id", value: (vm) => vm.vm_id, style: (text) => styles.cyan(text) },
      { header: "name", value: (vm) => vm.name },
      { header: "state", value: (vm) => vm.state, style: stateStyle(styles) },
      { header: "vcpus", value: (vm) => vm.vcpu_count, align: "right" },
      { header: "memory", value: (vm) => `${vm.memory_mib} MiB`, align: "right" },
      { header: "disk", value: (vm) => `${vm.disk_mib} MiB`, align: "right" },
      { header: "region", value: (vm) => vm.region },
      { header: "source", value: (vm) => vm.root_source_vm_name ?? vm.root_source_vm_id },
      { header: "created", value: (vm) => vm.created_at },
    ],
    styles,
  );
}

/** The `arker get` key/value view. */
export function vmDetails(vm: VmInfo, styles: Styles): string {
  return formatKeyValues(
    [
      ["id", vm.vm_id],
      ["name", vm.name],
      ["state", vm.state],
      ["owner", vm.owner_org_id],
      ["region", vm.region],
      ["provider", vm.provider],
      ["vcpus", vm.vcpu_count],
      ["memory", `${vm.memory_mib} MiB`],
      ["disk", `${vm.disk_mib} MiB`],
      ["durable", vm.durable],
      ["public", vm.public],
      ["source", vm.root_source_vm_name ?? vm.root_source_vm_id],
      ["sessions", vm.sessions?.length ?? 0],
      ["created", vm.created_at],
      ["started", vm.started_at],
    ],
    styles,
  );
}
