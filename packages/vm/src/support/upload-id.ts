const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * A fresh upload id, `upl_` and a ULID (docs/arker-api.md §2). Writes are idempotent on it,
 * so one id is made per logical write and reused by every retry of that write.
 */
export function newUploadId(now = Date.now()): string {
  let time = "";
  let rest = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[rest % 32] + time;
    rest = Math.floor(rest / 32);
  }
  if (used === pool.length) {
    globalThis.crypto.getRandomValues(pool);
    used = 0;
  }
  let tail = "";
  for (let i = 0; i < 16; i++) tail += CROCKFORD[(pool[used++] as number) % 32];
  return `upl_${time}${tail}`;
}

// Random bytes for ids, 16 per id, drawn from the system 256 ids at a time: a call per id
// was a measurable part of a 1,000-file `writeFiles` (BENCHMARKS.md, row 7).
const pool = new Uint8Array(4096);
let used = pool.length;
