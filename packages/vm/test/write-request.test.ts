import { encodedJsonBytes } from "@arker-ai/core/internal";
import type { WriteEntry } from "@arker-ai/core/wire";
import { describe, expect, it } from "vitest";
import { encodeWriteRequest } from "../src/support/write-request";

// The hand-built body of a sync write reads back as exactly what JSON.stringify of the
// same request would give, for every kind of entry and the paths that need escaping.
function decoded(entries: WriteEntry[]): unknown {
  const bytes = encodedJsonBytes(encodeWriteRequest(entries));
  if (bytes === undefined) throw new Error("not an EncodedJson body");
  return JSON.parse(Buffer.from(bytes).toString("utf8"));
}

function stringified(entries: WriteEntry[]): unknown {
  return JSON.parse(JSON.stringify({ op: "write", writes: entries }));
}

describe("encodeWriteRequest", () => {
  it("encodes chunks, presign requests and commits as JSON.stringify would", () => {
    const entries: WriteEntry[] = [
      { path: "/a", size: 6, upload_id: "u1", content: "AAECAw==", start: 0, end: 4 },
      { path: "/a", size: 6, upload_id: "u1", content: "BAU=", start: 4, end: 6, sha256: "ab" },
      { path: "/big", size: 9_000_000, presigned: true, sha256: null },
      { path: "/big", size: 9_000_000, upload_id: "u2", sha256: "cd" },
    ];
    expect(decoded(entries)).toEqual(stringified(entries));
  });

  it("joins entries without content before, between and after chunks", () => {
    const entries: WriteEntry[] = [
      { path: "/p", size: 5_000_000, presigned: true },
      { path: "/a", size: 2, upload_id: "u1", content: "AAE=", start: 0, end: 2 },
      { path: "/p", size: 5_000_000, upload_id: "u2" },
      { path: "/q", size: 6_000_000, presigned: true },
      { path: "/b", size: 1, upload_id: "u3", content: "AA==", start: 0, end: 1 },
      { path: "/q", size: 6_000_000, upload_id: "u4" },
    ];
    expect(decoded(entries)).toEqual(stringified(entries));
  });

  it("escapes paths with quotes, backslashes, newlines and non-ASCII text", () => {
    const entries: WriteEntry[] = [
      {
        path: '/tmp/"q"\\b\nc/é日本.txt',
        size: 1,
        upload_id: "u",
        content: "AA==",
        start: 0,
        end: 1,
      },
    ];
    expect(decoded(entries)).toEqual(stringified(entries));
  });

  it("keeps an empty file's empty content, and a request with one entry or none", () => {
    const empty: WriteEntry[] = [
      { path: "/e", size: 0, upload_id: "u", content: "", start: 0, end: 0 },
    ];
    expect(decoded(empty)).toEqual(stringified(empty));
    expect(decoded([])).toEqual({ op: "write", writes: [] });
  });

  it("carries a multi-megabyte content string whole", () => {
    const content = Buffer.alloc(3 * 1024 * 1024, 7).toString("base64");
    const entries: WriteEntry[] = [
      {
        path: "/m",
        size: 3 * 1024 * 1024,
        upload_id: "u",
        content,
        start: 0,
        end: 3 * 1024 * 1024,
      },
    ];
    const body = decoded(entries) as { writes: Array<{ content: string }> };
    expect(body.writes[0]!.content).toBe(content);
  });
});
