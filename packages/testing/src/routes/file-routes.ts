import { extractStream } from "../engine/sync-stream.js";
import { badRequest } from "../support/errors.js";
import type { ApiHandlers } from "./handler-types.js";

/**
 * `POST /v1/vms/{vm_id}/sync`: file read and write, discriminated by `op`. Idempotent
 * on `upload_id` rather than on `Idempotency-Key`, which this route ignores. File sync
 * checks the entries itself (`engine/file-sync.ts`). `POST /v1/vms/{vm_id}/sync-file`:
 * one file's raw bytes, the same write as one inline chunk.
 * `POST /v1/vms/{vm_id}/sync-stream`: an archive extracted into a directory
 * (`engine/sync-stream.ts`).
 *
 * @module
 */

/**
 * Whether an `Accept` header asks for raw bytes: `application/octet-stream` listed with a
 * non-zero quality (a wildcard alone does not count: JSON stays the default answer).
 */
export function acceptsBytes(accept: string): boolean {
  return accept.split(",").some((item) => {
    const [type, ...parameters] = item.split(";").map((part) => part.trim().toLowerCase());
    if (type !== "application/octet-stream") return false;
    const quality = parameters.find((parameter) => parameter.startsWith("q="));
    return quality === undefined || Number(quality.slice(2)) > 0;
  });
}

/** The file sync handler. */
export const fileHandlers: Pick<ApiHandlers, "syncFiles" | "syncFile" | "syncStream"> = {
  syncFile: ({ state, orgId, params, query, bytes }) =>
    state.fileSync.writeBytes(
      state.vms.usable(orgId, params.vm_id),
      {
        path: query.string("path"),
        size: query.string("size"),
        upload_id: query.string("upload_id"),
        sha256: query.string("sha256"),
      },
      bytes,
    ),

  syncStream: ({ state, orgId, params, query, bytes }) => {
    const vm = state.vms.usable(orgId, params.vm_id);
    return extractStream(
      state.filesystemOf(vm),
      state.options.maxVmBytes,
      {
        path: query.string("path"),
        size: query.string("size"),
        sha256: query.string("sha256"),
        extract: query.oneOf("extract", ["tar", "tar.gz"] as const),
      },
      bytes,
    );
  },

  syncFiles: ({ state, orgId, params, body, origin, accept }) => {
    const vm = state.vms.usable(orgId, params.vm_id);
    const op = body.value("op");
    switch (op) {
      case "read":
        return state.fileSync.read(vm, body.value("path"), origin, acceptsBytes(accept));
      case "write":
        return state.fileSync.write(vm, body.value("writes"), origin);
      default:
        throw badRequest(`op must be "read" or "write", got ${JSON.stringify(op ?? null)}`);
    }
  },
};
