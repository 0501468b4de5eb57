import type { ListVmsResponse, Vm } from "@arker-ai/core/wire";
import { vmView } from "../engine/views.js";
import { paginate } from "../pagination.js";
import { badRequest } from "../support/errors.js";
import { optionalBoolean, optionalInteger, optionalString } from "./fields.js";
import { ok, type Route } from "./route.js";

/**
 * VM routes: fork, list, get, delete, resize.
 *
 * @module
 */

function parseTime(query: URLSearchParams, field: string): number | undefined {
  const raw = query.get(field);
  if (raw === null || raw === "") return undefined;
  const time = Date.parse(raw);
  if (!Number.isFinite(time) || !/^\d{4}-\d{2}-\d{2}T/.test(raw))
    throw badRequest(`${field} must be an RFC 3339 time`);
  return time;
}

/** The VM routes. */
export const vmRoutes: Route[] = [
  {
    method: "POST",
    pattern: "/v1/fork",
    idempotent: true,
    auth: true,
    handle({ state, orgId, body }) {
      const sourceVmId = optionalString(body, "source_vm_id");
      const sourceVmName = optionalString(body, "source_vm_name");
      if ((sourceVmId === undefined) === (sourceVmName === undefined)) {
        throw badRequest("give exactly one of source_vm_id and source_vm_name");
      }
      const name = optionalString(body, "name");
      const vm = state.fork(orgId, {
        sourceVmId,
        sourceVmName,
        sourceOrgId: optionalString(body, "source_org_id"),
        name: name ?? null,
        public: optionalBoolean(body, "public") ?? false,
        disk: optionalBoolean(body, "disk") ?? true,
        vcpuCount: optionalInteger(body, "vcpu_count"),
        memoryMib: optionalInteger(body, "memory_mib"),
        diskMib: optionalInteger(body, "disk_mib"),
        durable: optionalBoolean(body, "durable") ?? false,
      });
      return ok(vmView(vm) satisfies Vm);
    },
  },
  {
    method: "GET",
    pattern: "/v1/vms",
    idempotent: false,
    auth: true,
    handle({ state, orgId, query }) {
      const stateFilter = query.get("state");
      if (
        stateFilter !== null &&
        stateFilter !== "" &&
        stateFilter !== "idle" &&
        stateFilter !== "running"
      ) {
        throw badRequest("state must be idle or running");
      }
      const sourceOrg = query.get("source_org_id") || orgId;
      const region = query.get("region") || undefined;
      const provider = query.get("provider") || undefined;
      const after = parseTime(query, "started_after");
      const before = parseTime(query, "started_before");
      const matching = [...state.vms.values()].filter((vm) => {
        if (vm.ownerOrgId !== sourceOrg) return false;
        if (vm.ownerOrgId !== orgId && !vm.public) return false;
        if (stateFilter && (vm.activeRuns.size > 0 ? "running" : "idle") !== stateFilter)
          return false;
        if (region !== undefined && vm.region !== region) return false;
        if (provider !== undefined && vm.provider !== provider) return false;
        if (after !== undefined && !(vm.startedAt > after)) return false;
        if (before !== undefined && !(vm.startedAt < before)) return false;
        return true;
      });
      const page = paginate(matching, query);
      return ok({
        vms: page.items.map(vmView),
        next_cursor: page.nextCursor,
      } satisfies ListVmsResponse);
    },
  },
  {
    method: "GET",
    pattern: "/v1/vms/:vm",
    idempotent: false,
    auth: true,
    handle({ state, orgId, params }) {
      return ok(vmView(state.visibleVm(orgId, params.vm!)));
    },
  },
  {
    method: "DELETE",
    pattern: "/v1/vms/:vm",
    idempotent: true,
    auth: true,
    handle({ state, orgId, params }) {
      state.deleteVm(state.ownedVm(orgId, params.vm!));
      return ok({ deleted: true });
    },
  },
  {
    method: "POST",
    pattern: "/v1/vms/:vm/resize",
    idempotent: true,
    auth: true,
    handle({ state, orgId, params, body }) {
      const vm = state.ownedVm(orgId, params.vm!);
      const input = {
        vcpuCount: optionalInteger(body, "vcpu_count"),
        memoryMib: optionalInteger(body, "memory_mib"),
        diskMib: optionalInteger(body, "disk_mib"),
      };
      if (
        input.vcpuCount === undefined &&
        input.memoryMib === undefined &&
        input.diskMib === undefined
      ) {
        throw badRequest("give at least one of vcpu_count, memory_mib, disk_mib");
      }
      state.resize(vm, input);
      return ok({ resized: true });
    },
  },
];
