/** Counts of the process's active resources by type (sockets, servers, timers, …). */
export type ResourceCounts = Record<string, number>;

/** Resource types that a client or server left open would show up as. */
export const WATCHED_RESOURCES = ["TCPSocketWrap", "TCPServerWrap", "Timeout", "Immediate"];

/** The active resources of the process right now, counted by type. */
export function activeResources(): ResourceCounts {
  const counts: ResourceCounts = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/**
 * What is open now and was not at `baseline`, for the watched types. Waits a few event
 * loop turns first so that closes in flight can finish (no timing of speed involved).
 */
export async function leakedSince(baseline: ResourceCounts): Promise<ResourceCounts> {
  let leaked: ResourceCounts = {};
  // Up to 2 s: a loaded machine may take a while to finish closing sockets.
  for (let turn = 0; turn < 40; turn++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = activeResources();
    leaked = {};
    for (const type of WATCHED_RESOURCES) {
      // The wait above has fired by now, so it is not counted.
      const extra = (now[type] ?? 0) - (baseline[type] ?? 0);
      if (extra > 0) leaked[type] = extra;
    }
    if (Object.keys(leaked).length === 0) return leaked;
  }
  return leaked;
}
