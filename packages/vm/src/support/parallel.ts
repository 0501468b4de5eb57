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

/**
 * Runs the synchronous `task` on every item in order, `sliceSize` at a time, letting the
 * event loop run between slices (a `setImmediate` turn); stops at the first failure and
 * rejects with it. For small local files: a synchronous system call costs a few
 * microseconds where the thread pool's round trip costs ten times that on a busy machine
 * (BENCHMARKS.md, row 7), and the slices keep the caller's other work, timers and sockets
 * moving.
 */
export async function forEachInSlices<T>(
  items: readonly T[],
  task: (item: T, index: number) => void,
  sliceSize: number = LOCAL_FILE_SLICE,
): Promise<void> {
  for (let start = 0; start < items.length; start += sliceSize) {
    if (start > 0) await nextTurn();
    const end = Math.min(start + sliceSize, items.length);
    for (let index = start; index < end; index += 1) task(items[index] as T, index);
  }
}

/** How many small local files `vm.upload` and `vm.download` handle between two event-loop turns. */
export const LOCAL_FILE_SLICE = 32;

/** Files up to this size are read and written with synchronous calls, in slices. */
export const SMALL_LOCAL_FILE_BYTES = 64 * 1024;

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
