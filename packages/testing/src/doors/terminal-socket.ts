import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type RawData, type WebSocket, WebSocketServer } from "ws";
import type { FakeResponse } from "../http/http-types.js";
import { statusText } from "../http/status-text.js";
import type { Terminal, TerminalClient } from "../terminal/terminal.js";

/**
 * The WebSocket side of the PTY route on the listening door (the `ws` library): a
 * connection the pipeline accepted is upgraded and attached to its terminal. Binary
 * frames are keys; text frames are control messages (`resize`, `kill`); the server
 * sends terminal bytes as binary frames and, when the terminal ends,
 * `{"type":"exit","exit_code":N}` before closing with 1000.
 *
 * @module
 */

/** The largest frame a client may send, in bytes (keys and control messages are small). */
const MAX_FRAME_BYTES = 1024 * 1024;

/** Close code when another connection took the terminal over (reattach). */
export const REPLACED_CLOSE_CODE = 4000;

/** Answers an upgrade request with a plain HTTP response and closes the connection. */
export function refuseUpgrade(socket: Duplex, response: FakeResponse): void {
  const head = [`HTTP/1.1 ${response.status} ${statusText(response.status) ?? "Error"}`];
  for (const [name, value] of Object.entries(response.headers)) {
    if (name !== "content-length") head.push(`${name}: ${value}`);
  }
  head.push(`content-length: ${response.body.byteLength}`, "connection: close", "", "");
  socket.end(Buffer.concat([Buffer.from(head.join("\r\n"), "latin1"), response.body]));
}

function controlMessage(
  text: string,
): { type: string; cols?: unknown; rows?: unknown } | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
    const message = value as { type?: unknown };
    return typeof message.type === "string" ? (value as { type: string }) : undefined;
  } catch {
    return undefined;
  }
}

function bytesOf(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

/** Connects one WebSocket to a terminal until either side ends. */
function attach(socket: WebSocket, terminal: Terminal): void {
  const client: TerminalClient = {
    send: (bytes) => {
      if (socket.readyState === socket.OPEN) socket.send(bytes, { binary: true });
    },
    exit: (exitCode) => {
      if (socket.readyState !== socket.OPEN) return;
      socket.send(JSON.stringify({ type: "exit", exit_code: exitCode }));
      socket.close(1000, "exited");
    },
    replaced: () => socket.close(REPLACED_CLOSE_CODE, "another client attached"),
  };
  socket.on("message", (data, isBinary) => {
    if (isBinary) {
      terminal.input(bytesOf(data));
      return;
    }
    const message = controlMessage(Buffer.from(bytesOf(data)).toString("utf8"));
    if (message?.type === "resize") terminal.resize(Number(message.cols), Number(message.rows));
    else if (message?.type === "kill") terminal.kill();
  });
  socket.on("close", () => terminal.detach(client));
  socket.on("error", () => socket.terminate());
  terminal.attach(client);
}

/** The door's WebSocket server (no server of its own: it takes upgraded connections). */
export class TerminalSockets {
  readonly #server = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: false,
  });

  /** Completes the handshake of an accepted request and attaches the connection. */
  accept(request: IncomingMessage, socket: Duplex, head: Buffer, open: () => Terminal): void {
    this.#server.handleUpgrade(request, socket, head, (webSocket) => attach(webSocket, open()));
  }

  /** Closes every connection. */
  close(): void {
    for (const client of this.#server.clients) client.terminate();
    this.#server.close();
  }
}
