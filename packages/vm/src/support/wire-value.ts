/** An enum-like value short and plain enough to quote in a message. */
const QUOTABLE = /^[A-Za-z0-9._-]{1,16}$/;

/**
 * Describes a value taken from an answer for an error message without echoing it: an
 * enum-like string (`"latin1"`) is quoted, anything else only named by its type and
 * length. Answers are untrusted, and a server echoing the Authorization header into a
 * field must not put the key into an error.
 */
export function describeWireValue(value: unknown): string {
  if (typeof value === "string") {
    return QUOTABLE.test(value) ? JSON.stringify(value) : `a string of ${value.length} characters`;
  }
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
