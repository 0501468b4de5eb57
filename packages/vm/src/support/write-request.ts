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
  const parts: string[] = ['{"op":"write","writes":['];
  entries.forEach((entry, index) => {
    if (index > 0) parts.push(",");
    if (!("content" in entry)) {
      parts.push(JSON.stringify(entry));
      return;
    }
    const { content, ...fields } = entry;
    // `fields` holds at least the path, so its JSON ends with a member and then `}`.
    parts.push(JSON.stringify(fields).slice(0, -1), ',"content":"', content, '"}');
  });
  parts.push("]}");
  let length = 0;
  for (const part of parts) length += Buffer.byteLength(part);
  const bytes = Buffer.allocUnsafeSlow(length);
  let offset = 0;
  for (const part of parts) offset += bytes.write(part, offset);
  return encodedJson(bytes);
}
