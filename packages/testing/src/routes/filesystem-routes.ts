import type { ListFilesystemsResponse, ListSyncsResponse } from "@arker-ai/core/wire";
import { filesystemView, syncView } from "../engine/views.js";
import { validateApiPath } from "../files/paths.js";
import { paginate } from "../pagination.js";
import { badRequest, notFound } from "../support/errors.js";
import { requiredString } from "./fields.js";
import { ok, type Route } from "./route.js";

/**
 * Filesystem routes and sync (mount) routes.
 *
 * @module
 */

/** The filesystem and sync routes. */
export const filesystemRoutes: Route[] = [
  {
    method: "POST",
    pattern: "/v1/filesystems",
    idempotent: true,
    auth: true,
    handle({ state, orgId, body }) {
      const name = requiredString(body, "name");
      if (name.trim() === "" || name.length > 255)
        throw badRequest("name must be 1-255 characters");
      return ok(filesystemView(state.createFilesystem(orgId, name)));
    },
  },
  {
    method: "GET",
    pattern: "/v1/filesystems",
    idempotent: false,
    auth: true,
    handle({ state, orgId, query }) {
      const prefix = query.get("name_prefix") ?? "";
      const owned = [...state.filesystems.values()].filter(
        (filesystem) => filesystem.ownerOrgId === orgId && filesystem.name.startsWith(prefix),
      );
      const page = paginate(owned, query);
      return ok({
        filesystems: page.items.map(filesystemView),
        next_cursor: page.nextCursor,
      } satisfies ListFilesystemsResponse);
    },
  },
  {
    method: "GET",
    pattern: "/v1/filesystems/:fs",
    idempotent: false,
    auth: true,
    handle({ state, orgId, params }) {
      return ok(filesystemView(state.ownedFilesystem(orgId, params.fs!)));
    },
  },
  {
    method: "DELETE",
    pattern: "/v1/filesystems/:fs",
    idempotent: true,
    auth: true,
    handle({ state, orgId, params }) {
      state.deleteFilesystem(state.ownedFilesystem(orgId, params.fs!));
      return ok({ deleted: true });
    },
  },
  {
    method: "POST",
    pattern: "/v1/vms/:vm/syncs",
    idempotent: true,
    auth: true,
    handle({ state, orgId, params, body }) {
      const vm = state.ownedVm(orgId, params.vm!);
      const filesystem = state.ownedFilesystem(orgId, requiredString(body, "filesystem_id"));
      const path = validateApiPath(body.path);
      return ok(syncView(state.createSync(vm, filesystem, path)));
    },
  },
  {
    method: "GET",
    pattern: "/v1/vms/:vm/syncs",
    idempotent: false,
    auth: true,
    handle({ state, orgId, params, query }) {
      const vm = state.ownedVm(orgId, params.vm!);
      const filter = query.get("filesystem_id");
      const syncs = [...vm.syncs.values()].filter(
        (sync) => !filter || sync.filesystemId === filter,
      );
      const page = paginate(syncs, query);
      return ok({
        syncs: page.items.map(syncView),
        next_cursor: page.nextCursor,
      } satisfies ListSyncsResponse);
    },
  },
  {
    method: "GET",
    pattern: "/v1/vms/:vm/syncs/:sync",
    idempotent: false,
    auth: true,
    handle({ state, orgId, params }) {
      const vm = state.ownedVm(orgId, params.vm!);
      const sync = vm.syncs.get(params.sync!);
      if (sync === undefined) throw notFound(`sync not found: ${params.sync}`);
      return ok(syncView(sync));
    },
  },
  {
    method: "DELETE",
    pattern: "/v1/vms/:vm/syncs/:sync",
    idempotent: true,
    auth: true,
    handle({ state, orgId, params }) {
      const vm = state.ownedVm(orgId, params.vm!);
      const sync = vm.syncs.get(params.sync!);
      if (sync === undefined) throw notFound(`sync not found: ${params.sync}`);
      state.deleteSync(vm, sync);
      return ok({ deleted: true });
    },
  },
];
