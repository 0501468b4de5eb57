import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";
import { reportReady } from "../lib/child.js";

/**
 * Row 6's baseline server: a bare WebSocket echo server (the `ws` library, as the fake's
 * PTY uses) on 127.0.0.1, each binary frame sent straight back. Prints `READY {"url"}`;
 * stops on SIGTERM.
 */
const server = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: false });
server.on("connection", (socket) => {
  socket.on("message", (data, isBinary) => socket.send(data, { binary: isBinary }));
});
server.on("listening", () => {
  const { port } = server.address() as AddressInfo;
  reportReady({ url: `ws://127.0.0.1:${port}` });
});
process.on("SIGTERM", () => {
  for (const client of server.clients) client.terminate();
  server.close(() => process.exit(0));
});
