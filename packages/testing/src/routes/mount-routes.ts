import type { RouteResponse } from "@arker-ai/core/contract";
import { mountView } from "../engine/views.js";
import { validateApiPath } from "../files/paths.js";
import type { ApiHandlers } from "./handler-types.js";
import { listPage } from "./list-page.js";

/**
 * Mount routes (`/v1/vms/{vm_id}/syncs`): a filesystem mounted into a VM at a path.
 *
 * @module
 */

/** The mount handlers. */
export const mountHandlers: Pick<
  ApiHandlers,
  "createMount" | "listMounts" | "getMount" | "deleteMount"
> = {
  createMount: ({ state, orgId, params, body }) => {
    const vm = state.vms.usable(orgId, params.vm_id);
    const filesystem = state.filesystems.owned(orgId, body.requiredString("filesystem_id"));
    const path = validateApiPath(body.value("path"));
    return mountView(state.mount(vm, filesystem, path));
  },

  listMounts: ({ state, orgId, params, query }) => {
    const vm = state.vms.owned(orgId, params.vm_id);
    const filesystemId = query.string("filesystem_id");
    return listPage(
      query,
      "syncs",
      state.mounts.list(vm),
      mountView,
      (mount) => filesystemId === undefined || mount.filesystemId === filesystemId,
    );
  },

  getMount: ({ state, orgId, params }) => {
    const vm = state.vms.owned(orgId, params.vm_id);
    return mountView(state.mounts.find(vm, params.sync_id));
  },

  deleteMount: ({ state, orgId, params }) => {
    const vm = state.vms.owned(orgId, params.vm_id);
    state.mounts.remove(state.mounts.find(vm, params.sync_id));
    return { deleted: true } satisfies RouteResponse<"deleteMount">;
  },
};
