/**
 * The numeric limits of the wire contract (docs/arker-api.md §4), once.
 *
 * @module
 */

/** Files up to this size are sent and answered inline; larger ones use signed URLs. */
export const INLINE_FILE_LIMIT_BYTES = 4 * 1024 * 1024;

/** The default per-file size limit of the service. */
export const DEFAULT_MAX_FILE_BYTES = 100 * 1024 * 1024;

/** The longest path a file operation accepts, in UTF-8 bytes. */
export const MAX_PATH_BYTES = 4096;

/** The page size limits of every list route. */
export const PAGE_LIMIT = { min: 1, max: 1000, default: 50 } as const;

/** Resize limits (decided). Disk may only grow. */
export const RESIZE_LIMITS = {
  vcpu: { min: 1, max: 64 },
  memoryMib: { min: 256, max: 262144, step: 256 },
} as const;

/** The longest run `timeout`, in seconds (one day). */
export const MAX_RUN_TIMEOUT_SECONDS = 86_400;

/** How long a foreground run may take before it is answered 202 and goes on, in ms. */
export const SYNC_WINDOW_MS = 30_000;

/** The ports a tunnel may open, inclusive. */
export const PORT_RANGE = { min: 1, max: 65_535 } as const;
