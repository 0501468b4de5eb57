import type { ArkerClient, CallOptions, Page } from "@arker-ai/core";
import {
  acknowledgement,
  badRequest,
  objectDecoder,
  optionalBoolean,
  optionalString,
  optionKeys,
  rejectUnknownCallOptions,
  rejectUnknownOptions,
  requireId,
  validateLimit,
  validatePath,
  withAsyncDispose,
} from "@arker-ai/core/internal";
import type { CreateSyncRequest, Sync } from "@arker-ai/core/wire";

/**
 * The mounts resource of a VM (`/syncs` on the wire): filesystems mounted at a path.
 *
 * @module
 */

/**
 * Options of `createSync`: mount a filesystem into the VM, given by id or by name
 * (exactly one of `filesystemId` / `filesystemName`).
 */
export interface CreateSyncOptions extends CallOptions {
  /** The filesystem to mount (`fs_…`). */
  filesystemId?: string;
  /** The org's filesystem of this name (the newest, when several have it). */
  filesystemName?: string;
  /**
   * With `filesystemName`: create the filesystem when the org has none of that name.
   * Default `false`: a missing name is `not_found`.
   */
  createIfMissing?: boolean;
  /**
   * Where it appears in the VM: an absolute path. Another mount there is a `conflict`.
   * Default: `/mnt/<filesystem name>`, chosen by the service.
   */
  path?: string;
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

/** Decodes a mount answer. */
export const decodeSync = objectDecoder<Sync>("mount", {
  sync_id: "string",
  vm_id: "string",
  filesystem_id: "string",
  path: "string",
});

const decodeDeleted = acknowledgement("mount delete");

const CREATE_SYNC_KEYS = optionKeys<CreateSyncOptions>({
  filesystemId: true,
  filesystemName: true,
  createIfMissing: true,
  path: true,
  signal: true,
  timeoutMs: true,
  idempotencyKey: true,
});
const LIST_SYNCS_KEYS = optionKeys<ListSyncsOptions>({
  filesystemId: true,
  limit: true,
  cursor: true,
  signal: true,
  timeoutMs: true,
  idempotencyKey: true,
});

/** Checks mount options and builds the `POST /v1/vms/{vm_id}/syncs` body. */
export function createSyncRequest(options: CreateSyncOptions): CreateSyncRequest {
  if (typeof options !== "object" || options === null) {
    throw badRequest("createSync needs { filesystemId | filesystemName, path? }");
  }
  rejectUnknownOptions(options, CREATE_SYNC_KEYS, "createSync");
  if ((options.filesystemId === undefined) === (options.filesystemName === undefined)) {
    throw badRequest("createSync needs exactly one of filesystemId and filesystemName");
  }
  const body: CreateSyncRequest =
    options.filesystemId !== undefined
      ? { filesystem_id: requireId(options.filesystemId, "filesystemId") }
      : { filesystem_name: requireId(options.filesystemName, "filesystemName") };
  const createIfMissing = optionalBoolean(options.createIfMissing, "createIfMissing");
  if (createIfMissing !== undefined) {
    if (options.filesystemName === undefined) {
      throw badRequest("createIfMissing needs filesystemName");
    }
    body.create_if_missing = createIfMissing;
  }
  if (options.path !== undefined) body.path = validatePath(options.path);
  return body;
}

/** `POST /v1/vms/{vm_id}/syncs`. */
export async function createSync(
  client: ArkerClient,
  vmId: string,
  options: CreateSyncOptions,
): Promise<CreatedSync> {
  const body = createSyncRequest(options);
  const { data, requestId } = await client.call(
    "createMount",
    { params: { vm_id: vmId }, body },
    options,
  );
  const sync = decodeSync(data, requestId);
  return withAsyncDispose(sync, () => deleteSync(client, vmId, sync.sync_id, undefined));
}

/**
 * A mount just created: the wire object, plus an async disposer that unmounts it (the
 * filesystem keeps its files), for `await using mount = await vm.createSync(…)`.
 */
export type CreatedSync = Sync & AsyncDisposable;

/** `GET /v1/vms/{vm_id}/syncs`, iterable across pages. */
export async function listSyncs(
  client: ArkerClient,
  vmId: string,
  options: ListSyncsOptions = {},
): Promise<Page<Sync>> {
  rejectUnknownOptions(options, LIST_SYNCS_KEYS, "listSyncs");
  const query = {
    filesystem_id:
      options.filesystemId === undefined
        ? undefined
        : requireId(options.filesystemId, "filesystemId"),
    limit: validateLimit(options.limit),
    cursor: optionalString(options.cursor, "cursor"),
  };
  return client.page("listMounts", { params: { vm_id: vmId }, query }, decodeSync, options);
}

/** `GET /v1/vms/{vm_id}/syncs/{sync_id}`. */
export async function getSync(
  client: ArkerClient,
  vmId: string,
  syncId: string,
  options: CallOptions | undefined,
): Promise<Sync> {
  rejectUnknownCallOptions(options, "getSync");
  const params = { vm_id: vmId, sync_id: requireId(syncId, "syncId") };
  const { data, requestId } = await client.call("getMount", { params }, options);
  return decodeSync(data, requestId);
}

/** `DELETE /v1/vms/{vm_id}/syncs/{sync_id}`. */
export async function deleteSync(
  client: ArkerClient,
  vmId: string,
  syncId: string,
  options: CallOptions | undefined,
): Promise<void> {
  rejectUnknownCallOptions(options, "deleteSync");
  const params = { vm_id: vmId, sync_id: requireId(syncId, "syncId") };
  const { data, requestId } = await client.call("deleteMount", { params }, options);
  decodeDeleted(data, requestId);
}
