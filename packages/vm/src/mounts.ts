import {
  type ArkerClient,
  apiPath,
  badRequest,
  type CallOptions,
  callControls,
  type Page,
  requireId,
  validateLimit,
} from "@arker-ai/core";
import type { CreateSyncRequest, Sync } from "@arker-ai/core/wire";
import { validatePath } from "./validate-path";

/** Options of `createSync`: mount a filesystem into the VM. */
export interface CreateSyncOptions extends CallOptions {
  /** The filesystem to mount (`fs_…`). */
  filesystemId: string;
  /** Where it appears in the VM: an absolute path. Another mount there is a `conflict`. */
  path: string;
}

/** Options of `listSyncs`. */
export interface ListSyncsOptions extends CallOptions {
  /** Only mounts of this filesystem. */
  filesystemId?: string;
  /** Page size, 1–1000. Default 50 (the service's). */
  limit?: number;
  /** The `nextCursor` of a previous page. */
  cursor?: string;
}

/** `POST /v1/vms/{id}/syncs`. */
export async function createSync(
  client: ArkerClient,
  vmId: string,
  options: CreateSyncOptions,
): Promise<Sync> {
  if (typeof options !== "object" || options === null) {
    throw badRequest("createSync needs { filesystemId, path }");
  }
  const body: CreateSyncRequest = {
    filesystem_id: requireId(options.filesystemId, "filesystemId"),
    path: validatePath(options.path),
  };
  const { data } = await client.request<Sync>({
    method: "POST",
    path: apiPath`/v1/vms/${vmId}/syncs`,
    body,
    ...callControls(options),
  });
  return data;
}

/** `GET /v1/vms/{id}/syncs`. */
export async function listSyncs(
  client: ArkerClient,
  vmId: string,
  options: ListSyncsOptions = {},
): Promise<Page<Sync>> {
  const filesystemId =
    options.filesystemId === undefined
      ? undefined
      : requireId(options.filesystemId, "filesystemId");
  return client.list<Sync>(
    {
      method: "GET",
      path: apiPath`/v1/vms/${vmId}/syncs`,
      query: {
        filesystem_id: filesystemId,
        limit: validateLimit(options.limit),
        cursor: options.cursor,
      },
      ...callControls(options),
    },
    "syncs",
  );
}

/** `GET /v1/vms/{id}/syncs/{sync_id}`. */
export async function getSync(
  client: ArkerClient,
  vmId: string,
  syncId: string,
  options?: CallOptions,
): Promise<Sync> {
  requireId(syncId, "syncId");
  const { data } = await client.request<Sync>({
    method: "GET",
    path: apiPath`/v1/vms/${vmId}/syncs/${syncId}`,
    ...callControls(options),
  });
  return data;
}

/** `DELETE /v1/vms/{id}/syncs/{sync_id}`. */
export async function deleteSync(
  client: ArkerClient,
  vmId: string,
  syncId: string,
  options?: CallOptions,
): Promise<void> {
  requireId(syncId, "syncId");
  await client.request<unknown>({
    method: "DELETE",
    path: apiPath`/v1/vms/${vmId}/syncs/${syncId}`,
    ...callControls(options),
  });
}
