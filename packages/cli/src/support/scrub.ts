/**
 * Anything shaped like an Arker API key (`ark_live_…`, `ark_test_…`): `ark_` and at
 * least 12 more key characters. A mistyped flag (`--apikey=ark_live_…`) or a server
 * message may carry a key the CLI was never told about, so the shape is scrubbed too.
 * Masked keys (`ark_…1234`) and placeholders (`ark_live_...`) do not match.
 */
const KEY_SHAPE = /\bark_[A-Za-z0-9_-]{12,}/g;

/** What replaces a secret. */
export const REDACTED = "[REDACTED]";

/** Removes every given secret, and anything shaped like an API key, from `text`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret) result = result.split(secret).join(REDACTED);
  }
  return result.replace(KEY_SHAPE, REDACTED);
}
