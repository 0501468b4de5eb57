import { readFileSync, writeFileSync } from "node:fs";

/**
 * Peak resident set size of this process over a window. On Linux, writing `5` to
 * `/proc/self/clear_refs` resets the kernel's high-water mark (VmHWM), so the peak can
 * be taken over one transfer instead of the process's whole life; elsewhere the
 * lifetime peak (`process.resourceUsage().maxRSS`) is used, an upper bound.
 *
 * @module
 */

/** Starts a window: resets the peak when the OS allows it; returns whether it did. */
export function resetPeakRss(): boolean {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
    return true;
  } catch {
    return false;
  }
}

/** The highest RSS in bytes since the last {@link resetPeakRss} (or since start). */
export function peakRss(): number {
  try {
    const match = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync("/proc/self/status", "utf8"));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // Not Linux: fall through to the lifetime peak.
  }
  return process.resourceUsage().maxRSS * 1024;
}
