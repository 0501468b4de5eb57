import { createServer, connect as netConnect, type Socket } from "node:net";
import { reportReady } from "../lib/child.js";

/**
 * An emulated network link in its own process: an HTTP `CONNECT` proxy whose tunnels
 * cross one shared link with a one-way delay and a bandwidth cap per direction. Every
 * connection the client makes (the API and the signed URLs alike, through undici's
 * `ProxyAgent`) crosses it, so round trips and bandwidth cost what they would on a real
 * network. The `CONNECT` exchange itself crosses the link: one round trip, as a TCP
 * handshake would.
 *
 * Model: a chunk entering a direction waits for the link to be free, takes
 * `bytes ÷ bandwidth` on it, then arrives `delay` later; chunks of one tunnel arrive in
 * order. A tunnel stops reading its source while more than {@link MAX_QUEUED_BYTES} of
 * it wait, as a TCP window would.
 *
 * Arguments: `--rtt-ms=20 --mbit=250`. Prints `READY {"url"}`; stops on SIGTERM.
 */

/** How many bytes of one tunnel direction may wait on the link before its source pauses. */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => arg.replace(/^--/, "").split("=") as [string, string]),
);
const rttMs = Number(args["rtt-ms"] ?? 20);
const bytesPerMs = (Number(args.mbit ?? 250) * 1e6) / 8 / 1000;

/** One direction of the link, shared by every tunnel. */
class Direction {
  #freeAt = 0;

  /** When a chunk of `bytes` entering now arrives at the far end. */
  arrival(bytes: number): number {
    const start = Math.max(performance.now(), this.#freeAt);
    this.#freeAt = start + bytes / bytesPerMs;
    return this.#freeAt + rttMs / 2;
  }
}

const up = new Direction();
const down = new Direction();

/** Carries one tunnel direction: `from` → link → `to`, in order, one timer at a time. */
function carry(from: Socket, to: Socket, direction: Direction): (chunk: Buffer) => void {
  const queue: Array<{ at: number; chunk: Buffer }> = [];
  let queued = 0;
  let timer: NodeJS.Timeout | undefined;
  const deliver = (): void => {
    timer = undefined;
    const now = performance.now();
    while (queue.length > 0 && queue[0]!.at <= now + 0.5) {
      const { chunk } = queue.shift()!;
      queued -= chunk.byteLength;
      if (!to.destroyed) to.write(chunk);
    }
    if (queued <= MAX_QUEUED_BYTES && from.isPaused()) from.resume();
    schedule();
  };
  const schedule = (): void => {
    if (timer !== undefined || queue.length === 0) return;
    timer = setTimeout(deliver, Math.max(0, queue[0]!.at - performance.now()));
  };
  const send = (chunk: Buffer): void => {
    queue.push({ at: direction.arrival(chunk.byteLength), chunk });
    queued += chunk.byteLength;
    if (queued > MAX_QUEUED_BYTES) from.pause();
    schedule();
  };
  from.on("close", () => {
    // The far side closes once what was sent has crossed.
    const closeWhenDrained = (): void => {
      if (queue.length > 0) setTimeout(closeWhenDrained, 1);
      else to.end();
    };
    closeWhenDrained();
  });
  return send;
}

const server = createServer((client) => {
  let head = Buffer.alloc(0);
  const onHead = (chunk: Buffer): void => {
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf("\r\n\r\n");
    if (end < 0) return;
    client.off("data", onHead);
    const [method, target] = head.subarray(0, end).toString("latin1").split(" ");
    const rest = head.subarray(end + 4);
    if (method !== "CONNECT" || target === undefined) {
      client.end("HTTP/1.1 405 Method Not Allowed\r\n\r\n");
      return;
    }
    const colon = target.lastIndexOf(":");
    const upstream = netConnect(Number(target.slice(colon + 1)), target.slice(0, colon));
    upstream.setNoDelay(true);
    client.setNoDelay(true);
    const toUpstream = carry(client, upstream, up);
    const toClient = carry(upstream, client, down);
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
    client.pause();
    const connected = new Promise((resolve) => upstream.once("connect", resolve));
    // The CONNECT went up the link; its answer comes down it.
    setTimeout(() => {
      void connected.then(() => {
        toClient(Buffer.from("HTTP/1.1 200 Connection Established\r\n\r\n", "latin1"));
        if (rest.byteLength > 0) toUpstream(rest);
        client.on("data", toUpstream);
        upstream.on("data", toClient);
        client.resume();
      });
    }, rttMs / 2);
  };
  client.on("data", onHead);
  client.on("error", () => client.destroy());
});

server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  reportReady({ url: `http://127.0.0.1:${address.port}`, rttMs, mbit: Number(args.mbit ?? 250) });
});
process.on("SIGTERM", () => {
  server.close();
  process.exit(0);
});
