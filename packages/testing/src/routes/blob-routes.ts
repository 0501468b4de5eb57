import type { FakeRouteResponse } from "./fake-route-types.js";
import type { FakeHandlers } from "./handler-types.js";

/**
 * The signed URLs file sync hands out (`/_fake/blobs/{token}`): no auth, the token is
 * the credential; one object and one method per token, until it expires.
 *
 * @module
 */

/** The signed-URL handlers. */
export const blobHandlers: Pick<FakeHandlers, "getBlob" | "putBlob"> = {
  getBlob: ({ state, params }) => state.fileSync.readBlob(params.token),

  putBlob: ({ state, params, bytes }) => {
    state.fileSync.writeBlob(params.token, bytes);
    return { ok: true } satisfies FakeRouteResponse<"putBlob">;
  },
};
