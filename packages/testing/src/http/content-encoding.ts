import { gunzipSync } from "node:zlib";
import { ApiError, badRequest } from "../support/errors.js";

/**
 * Request bodies sent with `Content-Encoding: gzip` (the Arker clients 0.6–0.8 gzip sync
 * bodies of 16 KiB and more; issue 11, item 11), inflated with the body-size limit
 * applied to the inflated size: a gzip bomb is refused with 413 once it passes the
 * limit, never inflated unbounded.
 *
 * @module
 */

/** The inflated body of a request, or the body itself when it is not encoded. */
export function decodeRequestBody(
  body: Uint8Array | null,
  contentEncoding: string | undefined,
  maxBodyBytes: number,
): Uint8Array | null {
  const encoding = contentEncoding?.trim().toLowerCase() ?? "";
  if (encoding === "" || encoding === "identity") return body;
  if (encoding !== "gzip" && encoding !== "x-gzip") {
    throw badRequest(`unsupported content-encoding: ${encoding.slice(0, 40)} (gzip is)`);
  }
  if (body === null || body.byteLength === 0) return body;
  try {
    return gunzipSync(body, { maxOutputLength: Math.max(1, maxBodyBytes) });
  } catch (error) {
    if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") {
      throw new ApiError(
        "payload_too_large",
        `request body exceeds the limit of ${maxBodyBytes} bytes once inflated`,
      );
    }
    throw badRequest("request body is not valid gzip");
  }
}
