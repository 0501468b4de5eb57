import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Duplex } from "node:stream";
import { type HostPolicy, hostnameOfHeader, isWildcardHost } from "../http/host-policy.js";
import type { FakeRequest, FakeRequestHandler } from "../http/http-types.js";
import type { ListenOptions } from "../support/options.js";
import { refuseUpgrade, TerminalSockets } from "./terminal-socket.js";

/**
 * The listening door: real HTTP on loopback (random port by default) over the same
 * request pipeline. A `Host` header the fake does not serve is refused before anything
 * else (DNS rebinding); the body is read only once the request's credentials pass, and
 * only up to the body cap. A connection-reset fault destroys the socket.
 *
 * @module
 */

const LOOPBACK = "127.0.0.1";

/** A body as read: its bytes, or the fact that it passed the cap (reading stopped there). */
type ReadBody = { bytes: Uint8Array | null; tooLarge: boolean };

/**
 * Reads a body up to `limit` bytes. A declared `Content-Length` past the limit is
 * refused before any byte is read; a streamed body stops being read once it passes
 * the limit, so nothing past it is buffered.
 */
function readBody(request: IncomingMessage, limit: number): Promise<ReadBody> {
  const declared = Number(request.headers["content-length"]);
  const sized = request.headers["content-length"] !== undefined && Number.isSafeInteger(declared);
  if (sized && declared > limit) return Promise.resolve({ bytes: null, tooLarge: true });
  if (sized && declared === 0) return Promise.resolve({ bytes: null, tooLarge: false });
  return new Promise((resolve, reject) => {
    // With a declared length the body lands in one buffer of that size: no join copy.
    const whole = sized ? new Uint8Array(declared) : undefined;
    const chunks: Buffer[] = [];
    let received = 0;
    const finish = (result: ReadBody): void => {
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("error", reject);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      if (received + chunk.byteLength > limit) {
        request.pause();
        finish({ bytes: null, tooLarge: true });
        return;
      }
      if (whole === undefined) chunks.push(chunk);
      else whole.set(chunk.subarray(0, declared - received), received);
      received += chunk.byteLength;
    };
    const onEnd = (): void => {
      if (received === 0) finish({ bytes: null, tooLarge: false });
      else if (whole !== undefined)
        finish({
          bytes: received === declared ? whole : whole.subarray(0, received),
          tooLarge: false,
        });
      else finish({ bytes: Buffer.concat(chunks), tooLarge: false });
    };
    request.on("data", onData);
    request.on("end", onEnd);
    request.on("error", reject);
  });
}

/** Where the door listens and what it serves. */
export interface HttpDoorOptions extends ListenOptions {
  /** The host names served (the `Host` check). */
  hosts: HostPolicy;
  /** The largest request body read, in bytes. */
  maxBodyBytes: number;
}

/** How long the rest of an unread body may keep arriving after the answer, in ms. */
const DRAIN_MS = 5_000;

/**
 * Discards the rest of an unread body as it arrives (never buffered), so a client still
 * writing it reads the answer instead of failing with EPIPE on a closed connection; a
 * body still arriving {@link DRAIN_MS} after the answer costs the connection.
 */
function drainUnread(request: IncomingMessage): void {
  const timer = setTimeout(() => request.socket.destroy(), DRAIN_MS);
  timer.unref();
  const stop = (): void => clearTimeout(timer);
  request.once("end", stop);
  request.socket.once("close", stop);
  request.resume();
}

function formatHost(hostname: string): string {
  return hostname.includes(":") ? `[${hostname}]` : hostname;
}

function headersOf(request: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

function refuseHost(response: ServerResponse, host: string): void {
  const body = JSON.stringify({
    code: "forbidden",
    message: `Host ${JSON.stringify(host.slice(0, 200))} is not served: the fake answers localhost, 127.0.0.1, [::1], the host it binds and its allowedHosts`,
  });
  response.writeHead(403, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(body)),
    connection: "close",
  });
  response.end(body);
}

/** A running HTTP server over a request pipeline. */
export class HttpDoor {
  readonly #server: Server;
  readonly #options: HttpDoorOptions;
  readonly #sockets = new Set<Socket>();
  readonly #terminals = new TerminalSockets();
  #url = "";
  #port = 0;

  private constructor(server: Server, options: HttpDoorOptions) {
    this.#server = server;
    this.#options = options;
  }

  /** Starts listening; resolves once bound. */
  static async start(pipeline: FakeRequestHandler, options: HttpDoorOptions): Promise<HttpDoor> {
    const server = createServer({ keepAliveTimeout: 5_000 });
    const door = new HttpDoor(server, options);
    server.on("connection", (socket: Socket) => {
      door.#sockets.add(socket);
      socket.on("close", () => door.#sockets.delete(socket));
    });
    server.on("request", (request: IncomingMessage, response: ServerResponse) => {
      void door.#handle(pipeline, request, response);
    });
    server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      void door.#upgrade(pipeline, request, socket, head);
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
    door.#port = address.port;
    const shown = isWildcardHost(address.address) ? LOOPBACK : formatHost(address.address);
    door.#url = `http://${shown}:${address.port}`;
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
      const host = request.headers.host;
      const hostname = host === undefined ? undefined : hostnameOfHeader(host);
      if (host !== undefined && !this.#options.hosts.allowsHostname(hostname)) {
        refuseHost(response, host);
        return;
      }
      const head = {
        method: request.method ?? "GET",
        target: request.url ?? "/",
        headers: headersOf(request),
      };
      const read = pipeline.wantsBody(head)
        ? await readBody(request, this.#options.maxBodyBytes)
        : { bytes: null, tooLarge: false, skipped: true };
      // A body left unread (refused, or past the cap) is drained after the answer.
      const unread = "skipped" in read || read.tooLarge;
      const fakeRequest: FakeRequest = {
        ...head,
        body: read.bytes,
        // The server's own origin: a served name on the port it listens on.
        origin: hostname === undefined ? this.#url : `http://${formatHost(hostname)}:${this.#port}`,
      };
      if (read.tooLarge) fakeRequest.bodyTooLarge = this.#options.maxBodyBytes;
      const outcome = await pipeline.handle(fakeRequest);
      if (outcome.type === "reset") {
        request.socket.destroy();
        return;
      }
      const { status, headers, body: payload } = outcome.response;
      response.writeHead(status, { ...headers, "content-length": String(payload.byteLength) });
      response.end(request.method === "HEAD" ? undefined : payload);
      if (unread) drainUnread(request);
    } catch {
      request.socket.destroy();
    }
  }

  /**
   * A WebSocket upgrade (the PTY route): the `Host` check, then an `Origin` the fake
   * does not serve is refused (a web page must not open a shell on a local fake), then
   * the pipeline (faults, auth or ticket, the route) decides; an accepted request is
   * upgraded and attached to its terminal, any other answer is sent as plain HTTP.
   */
  async #upgrade(
    pipeline: FakeRequestHandler,
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
  ): Promise<void> {
    socket.on("error", () => socket.destroy());
    try {
      const host = request.headers.host;
      const hostname = host === undefined ? undefined : hostnameOfHeader(host);
      const origin = request.headers.origin;
      const refusal =
        host !== undefined && !this.#options.hosts.allowsHostname(hostname)
          ? `Host ${JSON.stringify(host.slice(0, 200))} is not served`
          : origin !== undefined && !this.#options.hosts.allowsOrigin(origin)
            ? `Origin ${JSON.stringify(origin.slice(0, 200))} may not open a terminal on the fake`
            : undefined;
      if (refusal !== undefined) {
        refuseUpgrade(socket, {
          status: 403,
          headers: { "content-type": "application/json" },
          body: Buffer.from(JSON.stringify({ code: "forbidden", message: refusal })),
        });
        return;
      }
      const outcome = await pipeline.handle({
        method: request.method ?? "GET",
        target: request.url ?? "/",
        headers: headersOf(request),
        body: null,
        origin: hostname === undefined ? this.#url : `http://${formatHost(hostname)}:${this.#port}`,
        upgrade: request.headers.upgrade ?? "",
      });
      if (outcome.type === "reset") {
        socket.destroy();
        return;
      }
      const { upgrade } = outcome.response;
      if (upgrade === undefined) refuseUpgrade(socket, outcome.response);
      else this.#terminals.accept(request, socket, head, upgrade);
    } catch {
      socket.destroy();
    }
  }

  /** Stops listening and closes every connection. */
  async close(): Promise<void> {
    this.#terminals.close();
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }
}
