/** What every secret is replaced with in messages, causes and log lines. */
export const REDACTED = "[REDACTED]";

/** How many characters of an unparsable answer a message quotes. */
export const SNIPPET_CHARS = 300;

/** Removes every occurrence of each secret from a text. */
export type Redactor = (text: string) => string;

/**
 * The one redaction helper of the SDK: every message path (errors of any status,
 * transport failures, request ids, the debug trace) goes through a redactor made here.
 * Longer secrets are replaced first, so a URL is removed whole before its token is.
 */
export function createRedactor(secrets: readonly string[]): Redactor {
  const ordered = [...new Set(secrets.filter((secret) => secret.length > 0))].sort(
    (a, b) => b.length - a.length,
  );
  if (ordered.length === 0) return (text) => text;
  return (text) =>
    ordered.reduce(
      (out, secret) => (out.includes(secret) ? out.split(secret).join(REDACTED) : out),
      text,
    );
}

/**
 * The first {@link SNIPPET_CHARS} characters of an answer, redacted before it is cut:
 * cutting first could leave the head of a secret that straddles the cut.
 */
export function redactedSnippet(text: string, redact: Redactor): string {
  return redact(text).slice(0, SNIPPET_CHARS);
}
