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
  const random = globalThis.crypto.getRandomValues(new Uint8Array(16));
  let tail = "";
  for (const byte of random) tail += CROCKFORD[byte % 32];
  return `upl_${time}${tail}`;
}
