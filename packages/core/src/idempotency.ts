import { idempotencyKeyProblem } from "./contract/rules";
import { badRequest } from "./errors";

/**
 * A fresh idempotency key: one per logical mutating call, reused on its retries. Pass
 * your own (`{ idempotencyKey: newIdempotencyKey() }`) to know it before the call.
 */
export function newIdempotencyKey(): string {
  return globalThis.crypto.randomUUID();
}

/** Checks a caller-supplied key with the contract's rule (1–64 printable ASCII, no spaces). */
export function validateIdempotencyKey(key: unknown): string {
  const problem = idempotencyKeyProblem(key);
  if (problem !== undefined) throw badRequest(problem);
  return key as string;
}
