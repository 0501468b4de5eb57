import type { RouteResponse } from "@arker-ai/core/contract";
import { filesystemView } from "../engine/views.js";
import { badRequest } from "../support/errors.js";
import type { ApiHandlers } from "./handler-types.js";
import { listPage } from "./list-page.js";

/**
 * Filesystem routes.
 *
 * @module
 */

const MAX_NAME_LENGTH = 255;

/** The filesystem handlers. */
export const filesystemHandlers: Pick<
  ApiHandlers,
  "createFilesystem" | "listFilesystems" | "getFilesystem" | "deleteFilesystem"
> = {
  createFilesystem: ({ state, orgId, body }) => {
    const name = body.requiredString("name");
    if (name.trim() === "" || name.length > MAX_NAME_LENGTH)
      throw badRequest(`name must be 1-${MAX_NAME_LENGTH} characters`);
    return filesystemView(state.filesystems.create(orgId, name));
  },

  listFilesystems: ({ state, orgId, query }) => {
    const prefix = query.string("name_prefix") ?? "";
    return listPage(
      query,
      "filesystems",
      state.filesystems.all(),
      filesystemView,
      (filesystem) => filesystem.ownerOrgId === orgId && filesystem.name.startsWith(prefix),
    );
  },

  getFilesystem: ({ state, orgId, params }) =>
    filesystemView(state.filesystems.owned(orgId, params.filesystem_id)),

  deleteFilesystem: ({ state, orgId, params }) => {
    state.deleteFilesystem(state.filesystems.owned(orgId, params.filesystem_id));
    return { deleted: true } satisfies RouteResponse<"deleteFilesystem">;
  },
};
