import { ArkerError } from "@arker-ai/core";

/**
 * `node:fs/promises`, loaded by the first upload or download rather than at import: it
 * brings `node:stream` with it, which a cold start of the SDK does not pay for
 * (BENCHMARKS.md, row 5; pinned by the umbrella's lazy-transport test). The module
 * loader keeps it after the first call.
 */
export const localFs = (): Promise<typeof import("node:fs/promises")> => import("node:fs/promises");

/** `node:fs`, for the synchronous calls on small files, loaded like {@link localFs}. */
export const localFsSync = (): Promise<typeof import("node:fs")> => import("node:fs");

/**
 * The `ArkerError` for a failure of the local disk during `action` (`upload`,
 * `download`): `bad_request` (the caller's side, not the service, refused), the system's
 * own words (`EACCES: permission denied, open '/x'`) in the message and the Node error as
 * `cause`. An `ArkerError` passes through unchanged.
 */
export function localFailure(error: unknown, action: "upload" | "download"): unknown {
  if (error instanceof ArkerError || !isSystemError(error)) return error;
  return new ArkerError(
    "bad_request",
    `${action} stopped on the local disk: ${error.message}`,
    400,
    { cause: error },
  );
}

function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string";
}
