import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { FakeRequest, FakeRequestHandler } from "../http/http-types.js";
import type { ListenOptions } from "../support/options.js";

/**
 * The listening door: real HTTP on loopback (random port by default) over the same
 * request pipeline. A connection-reset fault destroys the socket.
 *
 * @module
 */

const LOOPBACK = "127.0.0.1";

async function readBody(request: IncomingMessage): Promise<Uint8Array | null> {
  const declared = Number(request.headers["content-length"]);
  // With a declared length the body lands in one buffer of that size: no join copy.
  if (Number.isSafeInteger(declared) && declared >= 0) {
    if (declared === 0) return null;
    const out = new Uint8Array(declared);
    let offset = 0;
    for await (const chunk of request as AsyncIterable<Buffer>) {
      const room = Math.min(chunk.byteLength, declared - offset);
      out.set(chunk.subarray(0, room), offset);
      offset += room;
    }
    return offset === declared ? out : out.subarray(0, offset);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
  if (chunks.length === 0) return null;
  return Buffer.concat(chunks);
}

function headersOf(request: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

/** A running HTTP server over a request pipeline. */
export class HttpDoor {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #url = "";

  private constructor(server: Server) {
    this.#server = server;
  }

  /** Starts listening; resolves once bound. */
  static async start(pipeline: FakeRequestHandler, options: ListenOptions = {}): Promise<HttpDoor> {
    const server = createServer({ keepAliveTimeout: 5_000 });
    const door = new HttpDoor(server);
    server.on("connection", (socket: Socket) => {
      door.#sockets.add(socket);
      socket.on("close", () => door.#sockets.delete(socket));
    });
    server.on("request", (request: IncomingMessage, response: ServerResponse) => {
      void door.#handle(pipeline, request, response);
    });
    const host = options.host ?? LOOPBACK;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const address = server.address() as AddressInfo;
    const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
    door.#url = `http://${shownHost === "0.0.0.0" ? LOOPBACK : shownHost}:${address.port}`;
    return door;
  }

  /** The origin, e.g. `http://127.0.0.1:53211`. */
  get url(): string {
    return this.#url;
  }

  async #handle(
    pipeline: FakeRequestHandler,
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    try {
      const body = await readBody(request);
      const fakeRequest: FakeRequest = {
        method: request.method ?? "GET",
        target: request.url ?? "/",
        headers: headersOf(request),
        body,
        origin: request.headers.host === undefined ? this.#url : `http://${request.headers.host}`,
      };
      const outcome = await pipeline.handle(fakeRequest);
      if (outcome.type === "reset") {
        request.socket.destroy();
        return;
      }
      const { status, headers, body: payload } = outcome.response;
      response.writeHead(status, { ...headers, "content-length": String(payload.byteLength) });
      response.end(request.method === "HEAD" ? undefined : payload);
    } catch {
      request.socket.destroy();
    }
  }

  /** Stops listening and closes every connection. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }
}
