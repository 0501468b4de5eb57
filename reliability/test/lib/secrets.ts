/**
 * Finds a secret in text: the whole key, or any long enough run of its characters (a
 * key cut short, or printed without its prefix, still leaks). Masks such as `ark_…1234`
 * that keep only the last four characters are allowed.
 */
export function findSecret(text: string, secrets: readonly string[]): string | null {
  for (const secret of secrets) {
    if (text.includes(secret)) return secret;
    // Every 12-character window of the key, prefix excluded.
    const body = secret.replace(/^ark_(live|test)_/, "");
    for (let start = 0; start + 12 <= body.length; start++) {
      const window = body.slice(start, start + 12);
      if (text.includes(window)) return window;
    }
  }
  return null;
}
