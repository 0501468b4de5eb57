import { createHash } from "node:crypto";
import type { ServerResponse } from "node:http";
import { type Handler, type SeenRequest, sendJson } from "../../../test-support/local-server";

/**
 * A small stand-in for the sync route: inline chunks, presign + PUT + commit, inline or
 * presigned reads, sha256 checks. Enough to test the client's strategy on the wire.
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
    const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
    if (entry.presigned === true) {
      const id = `upl_${next++}`;
      uploads.set(id, { path, size });
      return sendJson(res, 200, {
        ok: true,
        op: "write",
        results: [
          {
            path,
            size,
            presigned_url: `${base}/signed/put/${id}`,
            upload_id: id,
            expires_in: 60,
            method: "PUT",
            complete: false,
            written: false,
          },
        ],
      });
    }
    if (typeof entry.content === "string") {
      const bytes = Buffer.from(entry.content, "base64");
      if (entry.sha256 !== undefined && entry.sha256 !== sha(bytes)) {
        return sendJson(res, 200, {
          ok: true,
          op: "write",
          results: [{ path, size, error: { code: "bad_request", message: "sha256 mismatch" } }],
        });
      }
      files.set(path, bytes);
      return sendJson(res, 200, {
        ok: true,
        op: "write",
        results: [
          {
            path,
            size,
            received_bytes: size,
            ranges: [{ start: 0, end: size }],
            complete: true,
            written: true,
          },
        ],
      });
    }
    const upload = uploads.get(String(entry.upload_id));
    if (!upload?.bytes) {
      return sendJson(res, 200, {
        ok: true,
        op: "write",
        results: [{ path, size, error: { code: "not_found", message: "upload not found" } }],
      });
    }
    if (entry.sha256 !== undefined && entry.sha256 !== sha(upload.bytes)) {
      return sendJson(res, 200, {
        ok: true,
        op: "write",
        results: [{ path, size, error: { code: "bad_request", message: "sha256 mismatch" } }],
      });
    }
    files.set(path, upload.bytes);
    return sendJson(res, 200, {
      ok: true,
      op: "write",
      results: [{ path, size, complete: true, written: true }],
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
