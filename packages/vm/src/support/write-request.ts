import { type EncodedJson, encodedJson } from "@arker-ai/core/internal";
import type { SyncWriteRequest, WriteEntry } from "@arker-ai/core/wire";

/**
 * Encodes the body of a sync write without `JSON.stringify` over the file contents. A
 * chunk's `content` is base64 of up to 4 MiB: stringify would scan and copy it, and undici
 * encode it again, which took 10–50 ms of a loaded machine's CPU before the first byte
 * left (BENCHMARKS.md, row 7). Base64's alphabet is never escaped in JSON, so each
 * `content` is copied into the body as it is, after its entry's other fields.
 *
 * The entries' `content` must be base64 (as `encodeBase64` makes it).
 */
export function encodeWriteRequest(entries: readonly WriteEntry[]): EncodedJson<SyncWriteRequest> {
  // The body is text[0] content[0] text[1] content[1] … text[n]: JSON text around each
  // base64 content, which is ASCII and so copied byte for byte.
  const text: string[] = [];
  const contents: string[] = [];
  let pending = '{"op":"write","writes":[';
  entries.forEach((entry, index) => {
    if (index > 0) pending += ",";
    if (!("content" in entry)) {
      pending += JSON.stringify(entry);
      return;
    }
    const { content, ...fields } = entry;
    // `fields` holds at least the path, so its JSON ends with a member and then `}`.
    text.push(`${pending}${JSON.stringify(fields).slice(0, -1)},"content":"`);
    contents.push(content);
    pending = '"}';
  });
  text.push(`${pending}]}`);
  let length = 0;
  for (const part of text) length += Buffer.byteLength(part);
  for (const content of contents) length += content.length;
  const bytes = Buffer.allocUnsafeSlow(length);
  let offset = 0;
  text.forEach((part, index) => {
    offset += bytes.write(part, offset);
    const content = contents[index];
    if (content !== undefined) offset += bytes.write(content, offset, "latin1");
  });
  return encodedJson(bytes);
}
