import { createHash } from "node:crypto";
import type { ServerResponse } from "node:http";
import { type Handler, type SeenRequest, sendJson } from "../../../test-support/local-server";

const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** A sync write's answer with its one result (written, presigned or failed). */
function sendWriteResult(res: ServerResponse, result: Record<string, unknown>): void {
  sendJson(res, 200, { ok: true, op: "write", results: [result] });
}

/**
 * What a write request asked for, whichever route carried it: the fields of a `sync`
 * entry (JSON), or of a `sync-file` query (`size` as a number), with the file's `bytes`
 * when the request carries them (an inline chunk's content, or a `sync-file` body).
 */
export function writeOf(request: SeenRequest): Record<string, unknown> {
  const [route, query] = request.url.split("?");
  if (route?.endsWith("/sync-file")) {
    const fields: Record<string, unknown> = Object.fromEntries(new URLSearchParams(query));
    return { ...fields, size: Number(fields.size), bytes: request.body };
  }
  const entry = (request.json as { writes: Array<Record<string, unknown>> }).writes[0] ?? {};
  return typeof entry.content === "string"
    ? { ...entry, bytes: Buffer.from(entry.content, "base64") }
    : entry;
}

/**
 * A small stand-in for the sync route: inline chunks, presign + PUT + commit, inline or
 * presigned reads, sha256 checks; and `sync-file` (the same write as one inline chunk,
 * its bytes in the body). Enough to test the client's strategy on the wire.
 */
export function fileStore(
  options: {
    inlineReadLimit?: number;
    readEncoding?: "utf8" | "base64";
    /** Answers an inline read asked with `Accept: application/octet-stream` as raw bytes. */
    rawReads?: boolean;
  } = {},
) {
  const files = new Map<string, Buffer>();
  const uploads = new Map<string, { path: string; size: number; bytes?: Buffer }>();
  let base = "";
  let next = 0;
  const inlineReadLimit = options.inlineReadLimit ?? 4 * 1024 * 1024;

  const handle: Handler = (req: SeenRequest, res: ServerResponse) => {
    if (req.method === "PUT" && req.url.startsWith("/signed/put/")) {
      const id = req.url.slice("/signed/put/".length);
      const upload = uploads.get(id);
      if (!upload) return sendJson(res, 404, { code: "not_found", message: "no upload" });
      upload.bytes = req.body;
      res.writeHead(200);
      return res.end();
    }
    if (req.method === "GET" && req.url.startsWith("/signed/get/")) {
      const path = decodeURIComponent(req.url.slice("/signed/get/".length));
      res.writeHead(200, { "content-type": "application/octet-stream" });
      return res.end(files.get(path));
    }
    const route = req.url.split("?")[0] ?? "";
    if (route.endsWith("/sync-file")) {
      // The same write as one inline chunk, its bytes in the body.
      return writeChunk(writeOf(req), req.body, res);
    }
    const body = req.json as { op: string; path?: string; writes?: Array<Record<string, unknown>> };
    if (body.op === "read") {
      const file = files.get(body.path ?? "");
      if (!file) {
        return sendJson(res, 404, { code: "not_found", message: `file not found: ${body.path}` });
      }
      if (file.byteLength <= inlineReadLimit) {
        if (options.rawReads && String(req.headers.accept).includes("application/octet-stream")) {
          res.writeHead(200, { "content-type": "application/octet-stream" });
          return res.end(file);
        }
        const encoding = options.readEncoding ?? "base64";
        return sendJson(res, 200, {
          ok: true,
          op: "read",
          path: body.path,
          size: file.byteLength,
          content: file.toString(encoding === "utf8" ? "utf8" : "base64"),
          encoding,
        });
      }
      return sendJson(res, 200, {
        ok: true,
        op: "read",
        path: body.path,
        size: file.byteLength,
        presigned_url: `${base}/signed/get/${encodeURIComponent(body.path ?? "")}`,
        expires_in: 60,
        method: "GET",
      });
    }
    const entry = body.writes?.[0] ?? {};
    const path = String(entry.path);
    const size = Number(entry.size);
    if (entry.presigned === true) {
      const id = `upl_${next++}`;
      uploads.set(id, { path, size });
      return sendWriteResult(res, {
        path,
        size,
        presigned_url: `${base}/signed/put/${id}`,
        upload_id: id,
        expires_in: 60,
        method: "PUT",
        complete: false,
        written: false,
      });
    }
    if (typeof entry.content === "string") {
      return writeChunk(entry, Buffer.from(entry.content, "base64"), res);
    }
    const upload = uploads.get(String(entry.upload_id));
    if (!upload?.bytes) {
      return sendWriteResult(res, {
        path,
        size,
        error: { code: "not_found", message: "upload not found" },
      });
    }
    if (entry.sha256 !== undefined && entry.sha256 !== sha(upload.bytes)) {
      return sendWriteResult(res, {
        path,
        size,
        error: { code: "bad_request", message: "sha256 mismatch" },
      });
    }
    files.set(path, upload.bytes);
    return sendWriteResult(res, { path, size, complete: true, written: true });
  };
  /** An inline chunk covering the whole file (or a `sync-file` body): checked, then kept. */
  const writeChunk = (entry: Record<string, unknown>, bytes: Buffer, res: ServerResponse) => {
    const path = String(entry.path);
    const size = Number(entry.size);
    if (entry.sha256 !== undefined && entry.sha256 !== sha(bytes)) {
      return sendWriteResult(res, {
        path,
        size,
        error: { code: "bad_request", message: "sha256 mismatch" },
      });
    }
    files.set(path, bytes);
    return sendWriteResult(res, {
      path,
      size,
      received_bytes: size,
      ranges: [{ start: 0, end: size }],
      complete: true,
      written: true,
    });
  };
  return {
    files,
    handle,
    setBase(url: string) {
      base = url;
    },
  };
}
