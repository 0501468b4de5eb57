/**
 * Runs `task` on every item with at most `limit` in flight, in item order as far as
 * starting goes; rejects with the first failure once the tasks already started settle.
 * Small local files cost a thread-pool round trip per call, not bytes: overlapping them
 * is what keeps a 1,000-file upload or download near one file's time (BENCHMARKS.md, row 7).
 */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async (): Promise<void> => {
    while (failure === null && next < items.length) {
      const index = next++;
      try {
        await task(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== null) throw (failure as { error: unknown }).error;
}

/** How many local file calls `vm.upload` and `vm.download` keep in flight. */
export const LOCAL_FILE_CONCURRENCY = 16;
