import type { RouteResponse } from "@arker-ai/core/contract";
import { VM_STATES } from "@arker-ai/core/contract";
import type { UpdateVmRequest } from "@arker-ai/core/wire";
import type { FakeState } from "../engine/fake-state.js";
import { forkView } from "../engine/views.js";
import type { VmRecord } from "../stores/records.js";
import { ApiError, badRequest } from "../support/errors.js";
import { BodyReader } from "./body-reader.js";
import type { ApiHandlers } from "./handler-types.js";
import { listPage } from "./list-page.js";

/**
 * VM routes: fork, list, get, delete, resize.
 *
 * @module
 */

/**
 * A VM by id, else by name in the caller's org (the newest of that name; issue 11,
 * item 11: the later clients `GET /v1/vms/{name}`).
 */
function vmByIdOrName(state: FakeState, orgId: string, idOrName: string): VmRecord {
  try {
    return state.vms.visible(orgId, idOrName);
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== "not_found") throw error;
    const named = state.vms.newestNamed(orgId, idOrName, orgId);
    if (named === undefined) throw error;
    return named;
  }
}

/** The VM handlers. */
export const vmHandlers: Pick<
  ApiHandlers,
  "fork" | "listVms" | "getVm" | "deleteVm" | "resizeVm" | "updateVm"
> = {
  fork: ({ state, orgId, body }) => {
    const sourceVmId = body.string("source_vm_id");
    const sourceVmName = body.string("source_vm_name");
    if ((sourceVmId === undefined) === (sourceVmName === undefined)) {
      throw badRequest("give exactly one of source_vm_id and source_vm_name");
    }
    const name = body.string("name");
    const vm = state.fork(orgId, {
      sourceVmId,
      sourceVmName,
      sourceOrgId: body.string("source_org_id"),
      name: name ?? null,
      public: body.boolean("public") ?? false,
      // A boolean is honoured; the real clients' other shapes of `disk` are ignored (issue 11, item 9).
      disk: typeof body.value("disk") === "boolean" ? (body.value("disk") as boolean) : true,
      vcpuCount: body.integer("vcpu_count"),
      memoryMib: body.integer("memory_mib"),
      diskMib: body.integer("disk_mib"),
      durable: body.boolean("durable") ?? false,
    });
    return forkView(state.vmView(vm));
  },

  listVms: ({ state, orgId, query }) => {
    const wanted = query.oneOf("state", VM_STATES);
    const sourceOrg = query.string("source_org_id") ?? orgId;
    const region = query.string("region");
    const provider = query.string("provider");
    const after = query.time("started_after");
    const before = query.time("started_before");
    return listPage(
      query,
      "vms",
      state.vms.all(),
      (vm) => state.vmView(vm),
      (vm) =>
        vm.ownerOrgId === sourceOrg &&
        (vm.ownerOrgId === orgId || vm.public) &&
        (wanted === undefined || state.vmState(vm) === wanted) &&
        (region === undefined || vm.region === region) &&
        (provider === undefined || vm.provider === provider) &&
        (after === undefined || vm.startedAt > after) &&
        (before === undefined || vm.startedAt < before),
    );
  },

  getVm: ({ state, orgId, params }) => state.vmView(vmByIdOrName(state, orgId, params.vm_id)),

  deleteVm: ({ state, orgId, params }) => {
    state.deleteVm(state.vms.owned(orgId, params.vm_id));
    return { deleted: true } satisfies RouteResponse<"deleteVm">;
  },

  resizeVm: ({ state, orgId, params, body }) => {
    const vm = state.vms.usable(orgId, params.vm_id);
    const input = {
      vcpuCount: body.integer("vcpu_count"),
      memoryMib: body.integer("memory_mib"),
      diskMib: body.integer("disk_mib"),
    };
    if (
      input.vcpuCount === undefined &&
      input.memoryMib === undefined &&
      input.diskMib === undefined
    ) {
      throw badRequest("give at least one of vcpu_count, memory_mib, disk_mib");
    }
    state.resize(vm, input);
    return { resized: true } satisfies RouteResponse<"resizeVm">;
  },

  updateVm: ({ state, orgId, params, body }) => {
    const vm = state.vms.usable(orgId, params.vm_id);
    const resources = body.value("resources");
    if (resources === undefined || resources === null) {
      throw badRequest("give resources: { vcpu, memory_mib, disk_mib }");
    }
    if (typeof resources !== "object" || Array.isArray(resources)) {
      throw badRequest("resources must be an object");
    }
    const sizes = new BodyReader<NonNullable<UpdateVmRequest["resources"]>>(
      resources as Record<string, unknown>,
    );
    const input = {
      vcpuCount: sizes.integer("vcpu"),
      memoryMib: sizes.integer("memory_mib"),
      diskMib: sizes.integer("disk_mib"),
    };
    if (
      input.vcpuCount === undefined &&
      input.memoryMib === undefined &&
      input.diskMib === undefined
    ) {
      throw badRequest("give at least one of resources.vcpu, memory_mib, disk_mib");
    }
    state.resize(vm, input);
    return state.vmView(vm);
  },
};
