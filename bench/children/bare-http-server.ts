import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { reportReady } from "../lib/child.js";

/**
 * The raw baseline's server: bare node:http on 127.0.0.1 holding files in memory.
 * `PUT /files/<name>` stores the body, `GET /files/<name>` returns it. Prints
 * `READY {"url"}`; stops on SIGTERM.
 */
const files = new Map<string, Buffer>();
const server = createServer((request, response) => {
  const name = request.url ?? "/";
  if (request.method === "PUT") {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      files.set(name, Buffer.concat(chunks));
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
    return;
  }
  const file = files.get(name);
  if (request.method !== "GET" || file === undefined) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, {
    "content-type": "application/octet-stream",
    "content-length": file.byteLength,
  });
  response.end(file);
});
server.keepAliveTimeout = 30_000;
server.listen(0, "127.0.0.1", () => {
  reportReady({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});
process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
