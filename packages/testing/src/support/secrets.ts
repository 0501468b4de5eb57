import { randomBytes } from "node:crypto";

/**
 * Credentials the fake hands out: API keys, the control token and signed-URL tokens.
 * They come from the OS's random source, never from the seed, so a seed (public in a
 * test file, `1` by default) keeps ids deterministic without making keys guessable.
 *
 * @module
 */

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

/** `length` characters of `[0-9a-z]`, uniformly random (rejection sampling, no modulo bias). */
export function randomToken(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 252 = 7 × 36: bytes at or above it would favour the first characters.
      if (byte < 252 && out.length < length) out += ALPHABET[byte % 36]!;
    }
  }
  return out;
}

/** A fresh API key `ark_test_` + 32 random characters. */
export function randomApiKey(): string {
  return `ark_test_${randomToken(32)}`;
}

/** A fresh control token `fake_ctl_` + 32 random characters. */
export function randomControlToken(): string {
  return `fake_ctl_${randomToken(32)}`;
}
