import type { RouteResponse } from "@arker-ai/core/contract";
import type { FakeState } from "../engine/fake-state.js";
import { mountView } from "../engine/views.js";
import { validateApiPath } from "../files/paths.js";
import type { FilesystemRecord } from "../stores/records.js";
import { badRequest, notFound } from "../support/errors.js";
import type { ApiHandlers } from "./handler-types.js";
import { listPage } from "./list-page.js";

/**
 * Mount routes (`/v1/vms/{vm_id}/syncs`): a filesystem mounted into a VM at a path.
 *
 * @module
 */

/**
 * The default mount point of a filesystem: `/mnt/<name>` (issue 11, item 7, DECIDED),
 * for a name that is one path segment.
 */
function defaultMountPath(name: string): string {
  if (name.includes("/") || name === "." || name === "..") {
    throw badRequest(`give a path: filesystem name ${JSON.stringify(name)} is not a path segment`);
  }
  return validateApiPath(`/mnt/${name}`);
}

/** The org's filesystem of this name, created when asked; 404 when missing and not asked. */
function namedFilesystem(
  state: FakeState,
  orgId: string,
  name: string,
  createIfMissing: boolean,
): FilesystemRecord {
  const found = state.filesystems.newestNamed(orgId, name);
  if (found !== undefined) return found;
  if (!createIfMissing) throw notFound(`filesystem not found: ${name}`);
  if (name.trim() === "" || name.length > 255) {
    throw badRequest("filesystem_name must be 1-255 characters");
  }
  return state.filesystems.create(orgId, name);
}

/** The mount handlers. */
export const mountHandlers: Pick<
  ApiHandlers,
  "createMount" | "listMounts" | "getMount" | "deleteMount"
> = {
  createMount: ({ state, orgId, params, body }) => {
    const vm = state.vms.usable(orgId, params.vm_id);
    const filesystemId = body.string("filesystem_id");
    const filesystemName = body.string("filesystem_name");
    if ((filesystemId === undefined) === (filesystemName === undefined)) {
      throw badRequest("give exactly one of filesystem_id and filesystem_name");
    }
    const createIfMissing = body.boolean("create_if_missing") ?? false;
    if (createIfMissing && filesystemName === undefined) {
      throw badRequest("create_if_missing needs filesystem_name");
    }
    const givenPath = body.value("path");
    const path =
      givenPath === undefined || givenPath === null
        ? defaultMountPath(filesystemName ?? state.filesystems.owned(orgId, filesystemId!).name)
        : validateApiPath(givenPath);
    const filesystem =
      filesystemId !== undefined
        ? state.filesystems.owned(orgId, filesystemId)
        : namedFilesystem(state, orgId, filesystemName!, createIfMissing);
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
