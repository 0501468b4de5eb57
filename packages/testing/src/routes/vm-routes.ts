import type { RouteResponse } from "@arker-ai/core/contract";
import { VM_STATES } from "@arker-ai/core/contract";
import { forkView } from "../engine/views.js";
import { badRequest } from "../support/errors.js";
import type { ApiHandlers } from "./handler-types.js";
import { listPage } from "./list-page.js";

/**
 * VM routes: fork, list, get, delete, resize.
 *
 * @module
 */

/** The VM handlers. */
export const vmHandlers: Pick<ApiHandlers, "fork" | "listVms" | "getVm" | "deleteVm" | "resizeVm"> =
  {
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
        disk: body.boolean("disk") ?? true,
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

    getVm: ({ state, orgId, params }) => state.vmView(state.vms.visible(orgId, params.vm_id)),

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
  };
