// A server that answers in bad faith, for the hostile-server suite. It runs in its own
// process so that the test process holds only the client: its RSS then measures the SDK.
// Prints "listening <port>" once ready. Routes are under /v1/hostile/<mode>; GET /_stats
// answers what the server counted.
import { createServer } from "node:http";

const CHUNK = Buffer.alloc(64 * 1024, 0x61);
const stats = {
  /** Requests answered, /_stats excluded. */
  requests: 0,
  trapHits: 0,
  openSockets: 0,
  /** Bytes of endless bodies written, per mode, until the client hung up. */
  sentBytes: {},
};
const seenPaths = new Map();

/** Writes `prefix`, then 64 KiB chunks, honouring backpressure, until the client hangs up. */
function endless(res, mode, status, prefix) {
  res.writeHead(status, { "content-type": "application/json" });
  res.write(prefix);
  stats.sentBytes[mode] = stats.sentBytes[mode] ?? 0;
  const pump = () => {
    while (!res.destroyed) {
      stats.sentBytes[mode] += CHUNK.byteLength;
      if (!res.write(CHUNK)) return void res.once("drain", pump);
    }
  };
  pump();
}

/** One byte every `ms`, forever: no per-attempt timeout ever fires. */
function drip(res, ms) {
  res.writeHead(200, { "content-type": "application/json" });
  res.write('{"pad":"');
  const timer = setInterval(() => res.write("a"), ms);
  res.on("close", () => clearInterval(timer));
}

function json(res, status, body, headers = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

function answer(req, res, origin) {
  const url = new URL(req.url ?? "/", origin);
  const auth = req.headers.authorization ?? "";
  const parts = url.pathname.split("/").filter(Boolean);
  // The stats request's own connection is not counted as left open.
  if (url.pathname === "/_stats") {
    return json(res, 200, { ...stats, openSockets: stats.openSockets - 1 });
  }
  stats.requests++;
  if (parts[0] === "trap") {
    stats.trapHits++;
    return json(res, 200, { vm_id: "vm_trap" });
  }
  const [, , mode = "", arg = ""] = parts;
  const times = (seenPaths.get(url.pathname) ?? 0) + 1;
  seenPaths.set(url.pathname, times);
  switch (mode) {
    case "redirect":
      return json(
        res,
        Number(arg),
        { vm_id: "vm_redirected" },
        {
          location: `${origin}/trap/${arg}`,
        },
      );
    case "blob-redirect":
      res.writeHead(307, { location: `${origin}/trap/blob`, "content-length": "1" });
      return res.end("x");
    case "blob-echo":
      res.writeHead(403, { "content-type": "application/xml" });
      return res.end(`<Error><Code>AccessDenied</Code><Resource>${req.url}</Resource></Error>`);
    case "endless":
      return endless(res, mode, 200, '{"pad":"');
    case "endless-error":
      return endless(res, mode, 500, '{"code":"internal","message":"');
    case "slow":
      return drip(res, Number(arg) || 50);
    case "oversized":
      res.writeHead(200, { "content-type": "application/json", "content-length": 2 ** 30 });
      return res.write("{");
    case "echo":
      res.writeHead(200, { "content-type": "text/plain" });
      return res.end(`you sent ${auth} to ${req.url}`);
    case "echo-error":
      res.writeHead(400, { "content-type": "text/html" });
      return res.end(`<pre>${"x".repeat(280)}${auth}</pre>`);
    case "echo-json-error":
      return json(res, 401, { code: "unauthorized", message: `bad key: ${auth}` });
    case "request-id-echo":
      return json(
        res,
        404,
        { code: "not_found", message: "no" },
        {
          "x-request-id": auth.replace(/^Bearer /, ""),
        },
      );
    case "retry-after":
      if (times === 1) {
        return json(
          res,
          503,
          { code: "unavailable", message: "busy" },
          {
            "retry-after": decodeURIComponent(arg),
          },
        );
      }
      return json(res, 200, { ok: true });
    case "huge-header":
      return json(res, 200, { ok: true }, { "x-padding": "p".repeat(64 * 1024) });
    case "no-content-type":
      res.writeHead(200);
      return res.end('{"ok":true}');
    case "bad-content-length":
      res.writeHead(200, { "content-type": "application/json", "content-length": "abc" });
      return res.end('{"ok":true}');
    case "short-body":
      // Declares more than it sends, then hangs up: a truncated answer.
      res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      res.write('{"ok":true}');
      return void setTimeout(() => res.destroy(), 10);
    case "no-content":
      res.writeHead(204);
      return res.end();
    default:
      return json(res, 404, { code: "not_found", message: `no mode ${mode}` });
  }
}

const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => answer(req, res, `http://${req.headers.host}`));
});
server.on("connection", (socket) => {
  stats.openSockets++;
  socket.on("close", () => {
    stats.openSockets--;
  });
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
