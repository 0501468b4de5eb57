/**
 * The reason phrases of the statuses the fake answers with, for a status line (both doors).
 *
 * @module
 */

// A Map: an object with these integer keys is a sparse dictionary, slow to read per answer.
const STATUS_TEXT = new Map<number, string>([
  [200, "OK"],
  [202, "Accepted"],
  [400, "Bad Request"],
  [401, "Unauthorized"],
  [403, "Forbidden"],
  [404, "Not Found"],
  [405, "Method Not Allowed"],
  [409, "Conflict"],
  [413, "Payload Too Large"],
  [422, "Unprocessable Entity"],
  [429, "Too Many Requests"],
  [500, "Internal Server Error"],
  [501, "Not Implemented"],
  [502, "Bad Gateway"],
  [503, "Service Unavailable"],
  [504, "Gateway Timeout"],
]);

/** The reason phrase of `status` (`"Not Found"`), or `undefined` for one the fake does not use. */
export function statusText(status: number): string | undefined {
  return STATUS_TEXT.get(status);
}
