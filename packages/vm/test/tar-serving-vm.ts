import { sendJson, setup } from "../../../test-support/local-server";
import { completedRun } from "./run-answers";

/**
 * A scripted server standing in for a VM whose folder `tar` packs into `tar`: a command
 * answers `directory` (the download's probe) or nothing (`rm`), and a file read answers
 * the archive — raw bytes (`raw: true`, the fake's answer to `Accept:
 * application/octet-stream`) or a base64 JSON answer (a server that ignores it).
 */
export async function tarServingVm(tar: Uint8Array, { raw = false } = {}) {
  return setup((req, res) => {
    const body = req.json as { command?: string };
    if (body.command !== undefined) {
      return sendJson(res, 200, completedRun(body.command.startsWith("rm ") ? "" : "directory\n"));
    }
    if (raw) {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.end(Buffer.from(tar));
      return;
    }
    return sendJson(res, 200, {
      ok: true,
      op: "read",
      path: "/tmp/x.tar",
      size: tar.byteLength,
      content: Buffer.from(tar).toString("base64"),
      encoding: "base64",
    });
  });
}
