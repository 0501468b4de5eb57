import { badRequest } from "./errors";

const KEY_PATTERN = /^[\x21-\x7e]{1,64}$/;

/** A fresh idempotency key: one per logical mutating call, reused on its retries. */
export function newIdempotencyKey(): string {
  return globalThis.crypto.randomUUID();
}

/** Checks a caller-supplied key: 1–64 printable ASCII characters, no spaces. */
export function validateIdempotencyKey(key: string): string {
  if (!KEY_PATTERN.test(key)) {
    throw badRequest("idempotencyKey must be 1-64 printable ASCII characters without spaces");
  }
  return key;
}
