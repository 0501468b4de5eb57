import type { Page } from "@arker-ai/core";
import type { ListVmsOptions, VmInfo } from "@arker-ai/vm";
import { CliError, EXIT_CODES } from "./errors";

/**
 * VM names wherever a VM id is taken (issue 14): `arker get my-vm`. An id (`vm_…`) is
 * used as it is; a name is looked up among the org's VMs, one page walk. No VM of that
 * name is `not_found` (exit 5); several are an error listing them, since acting on one
 * of them at random could delete the wrong machine.
 *
 * @module
 */

/** What name resolution needs of a client: the org's VMs, page by page. */
export interface VmLister {
  listVms(options: ListVmsOptions): Promise<Page<VmInfo>>;
}

/** Resolves a VM argument (an id, or a name in the caller's org) to a VM id. */
export async function resolveVmId(arker: VmLister, reference: string): Promise<string> {
  if (reference.startsWith("vm_")) return reference;
  const matches: Array<{ id: string; created: string }> = [];
  for await (const vm of await arker.listVms({ limit: 1000 })) {
    if (vm.name === reference) matches.push({ id: vm.vm_id, created: vm.created_at });
  }
  if (matches.length === 1) return (matches[0] as { id: string }).id;
  if (matches.length === 0) {
    throw new CliError(
      "not_found",
      `no VM named ${JSON.stringify(reference)} in your org (a VM id starts with vm_)`,
      EXIT_CODES.notFound,
    );
  }
  const listed = matches.map((match) => `${match.id} (created ${match.created})`).join(", ");
  throw new CliError(
    "ambiguous",
    `${matches.length} VMs are named ${JSON.stringify(reference)}: ${listed}; pass an id`,
    EXIT_CODES.usage,
  );
}
