import { PUBLIC_GOLDENS, RESIZE_LIMITS, VM_STATES } from "@arker-ai/core/contract";
import { suggestKey } from "@arker-ai/core/internal";
import type { ForkedVmInfo, ForkOptions, ListVmsOptions, ResizeSize, VmInfo } from "@arker-ai/vm";
import { type Definition, defineCommand } from "../framework/define-command";
import { defineList } from "../framework/list-pages";
import { CliError, EXIT_CODES, isArkerError, UsageError } from "../support/errors";
import { formatKeyValues, formatTable, type Styles } from "../support/output";
import { choiceOption, integerOption, parseIdempotencyKey } from "../support/parse-arguments";
import { VM_ARGUMENT } from "./arguments";
import { defineRemoval } from "./removal";

const fork = defineCommand({
  name: "fork",
  summary: "fork a golden or a VM into a new VM (constant-time copy-on-write)",
  examples: [
    "arker fork ubuntu-full                      # a public golden; prints the new VM id",
    "VM=$(arker fork ubuntu --name scratch)",
    "arker fork vm_01J... --name branch --durable",
    "arker fork my-template --source-org-id org_123 --json",
  ],
  arguments: [
    { name: "source", description: "public golden name, VM id (vm_...) or VM name in your org" },
  ],
  options: [
    { flags: "--name <name>", description: "name of the new VM" },
    { flags: "--durable", description: "resume runs on a healthy host if this one fails" },
    {
      flags: "--source-org-id <org>",
      description: "org that owns the source (public goldens: inferred)",
    },
    { flags: "--public", description: "let other orgs fork the new VM" },
    {
      flags: "--vcpus <n>",
      description: `vCPUs of the new VM (${RESIZE_LIMITS.vcpu.min}-${RESIZE_LIMITS.vcpu.max})`,
      parse: integerOption("--vcpus", RESIZE_LIMITS.vcpu),
      key: "vcpuCount",
    },
    {
      flags: "--memory-mib <n>",
      description: `memory in MiB (${RESIZE_LIMITS.memoryMib.min}-${RESIZE_LIMITS.memoryMib.max}, a multiple of ${RESIZE_LIMITS.memoryMib.step})`,
      parse: integerOption("--memory-mib", RESIZE_LIMITS.memoryMib),
    },
    {
      flags: "--disk-mib <n>",
      description: "disk in MiB",
      parse: integerOption("--disk-mib", { min: 1 }),
    },
    {
      flags: "--idempotency-key <key>",
      description: "replaying the same key returns the same VM",
      parse: parseIdempotencyKey,
    },
  ],
  action: async (
    { args, options }: { args: { source: string }; options: ForkOptions },
    context,
  ) => {
    const arker = await context.arker();
    try {
      const vm = await arker.fork(args.source, options);
      return vm.info ?? (await vm.get());
    } catch (error) {
      throw withGoldenSuggestion(error, args.source);
    }
  },
  render: (vm: ForkedVmInfo) => ({ data: `${vm.vm_id}\n` }),
});

const ls = defineList({
  summary: "list your VMs, newest first",
  examples: [
    "arker ls",
    "arker ls --state running --limit 10",
    "arker ls --all --json | jq -r '.vms[].vm_id'",
  ],
  filters: [
    {
      flags: "--state <state>",
      description: "only idle or running VMs",
      parse: choiceOption("--state", VM_STATES),
    },
    {
      flags: "--source-org-id <org>",
      description: "VMs of this org (ArkerHQ lists the public goldens)",
    },
  ],
  noun: "VMs",
  key: "vms",
  fetch: async (_args: unknown, query: ListVmsOptions, context) =>
    (await context.arker()).listVms(query),
  table: vmTable,
});

const get = defineCommand({
  name: "get",
  summary: "show one VM",
  examples: ["arker get vm_01J...", "arker get vm_01J... --json | jq .state"],
  arguments: [VM_ARGUMENT],
  action: async ({ args }: { args: { vm: string }; options: unknown }, context) =>
    (await context.arker()).getVm(await context.vmId(args.vm)),
  render: (vm: VmInfo, styles) => ({ data: vmDetails(vm, styles.out) }),
});

const rm = defineRemoval<{ vm: string[] }>({
  name: "rm",
  noun: "VMs",
  summary: "delete one or more VMs",
  examples: [
    "arker rm vm_01J...                 # asks first",
    "arker rm vm_a vm_b vm_c --yes --json",
  ],
  arguments: [{ name: "vm", description: "VM ids or names", variadic: true }],
  targets: async (args, context) => {
    const arker = await context.arker();
    const ids: string[] = [];
    for (const reference of args.vm) ids.push(await context.vmId(reference));
    return { ids, remove: (id) => arker.vm(id).delete() };
  },
});

const resize = defineCommand({
  name: "resize",
  summary: "change a VM's vCPUs, memory or disk (disk can only grow)",
  examples: [
    "arker resize vm_01J... --vcpus 4 --memory-mib 8192",
    "arker resize vm_01J... --disk-mib 20480",
  ],
  arguments: [VM_ARGUMENT],
  options: [
    {
      flags: "--vcpus <n>",
      description: `vCPUs (${RESIZE_LIMITS.vcpu.min}-${RESIZE_LIMITS.vcpu.max})`,
      parse: integerOption("--vcpus", RESIZE_LIMITS.vcpu),
      key: "vcpu_count",
    },
    {
      flags: "--memory-mib <n>",
      description: `memory in MiB (${RESIZE_LIMITS.memoryMib.min}-${RESIZE_LIMITS.memoryMib.max}, a multiple of ${RESIZE_LIMITS.memoryMib.step})`,
      parse: integerOption("--memory-mib", RESIZE_LIMITS.memoryMib),
      key: "memory_mib",
    },
    {
      flags: "--disk-mib <n>",
      description: "disk in MiB",
      parse: integerOption("--disk-mib", { min: 1 }),
      key: "disk_mib",
    },
  ],
  action: async ({ args, options }: { args: { vm: string }; options: ResizeSize }, context) => {
    if (Object.keys(options).length === 0) {
      throw new UsageError("resize needs at least one of --vcpus, --memory-mib, --disk-mib");
    }
    const vmId = await context.vmId(args.vm);
    await (await context.arker()).vm(vmId).resize(options);
    return { vmId, resized: true as const, ...options };
  },
  render: (resized) => ({ messages: [`resized ${resized.vmId}`] }),
});

/** `fork`, `ls`, `get`, `rm` and `resize`. */
export const VM_COMMANDS: readonly Definition[] = [fork, ls, get, rm, resize];

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

/**
 * A fork from a name that does not exist: `did you mean ubuntu-full?` when the name is
 * close to a public golden's (a typo of `ubuntu-ful`).
 */
function withGoldenSuggestion(error: unknown, source: string): unknown {
  if (!isArkerError(error) || error.code !== "not_found" || source.startsWith("vm_")) return error;
  const suggestion = suggestKey(source, PUBLIC_GOLDENS);
  if (suggestion === undefined) return error;
  const message = error.message.replace(/^not_found: /, "");
  return new CliError(
    "not_found",
    `${message}; did you mean ${suggestion}?`,
    EXIT_CODES.notFound,
    `hint: arker fork ${suggestion}`,
  );
}
