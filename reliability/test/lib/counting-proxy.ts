import { connect, createServer, type Socket } from "node:net";

/** A TCP pass-through in front of a server that counts the connections it carries. */
export interface CountingProxy {
  /** `http://127.0.0.1:<port>`: point the client here. */
  url: string;
  /** Connections accepted so far. */
  readonly opened: number;
  /** Connections open right now. */
  readonly open: number;
  /** Most connections open at once. */
  readonly peak: number;
  /** Stops accepting, destroys what is open and waits for the server to close. */
  close(): Promise<void>;
}

/** Starts a counting proxy to `target` (an `http://host:port` URL). */
export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  let opened = 0;
  let peak = 0;
  const server = createServer((client) => {
    opened++;
    const upstream = connect(Number(port), hostname);
    sockets.add(client);
    sockets.add(upstream);
    peak = Math.max(peak, countClients());
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", end);
    upstream.on("error", end);
    client.on("close", end);
    upstream.on("close", end);
  });
  const countClients = () => Math.ceil(sockets.size / 2);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("proxy has no port");
  return {
    url: `http://127.0.0.1:${address.port}`,
    get opened() {
      return opened;
    },
    get open() {
      return countClients();
    },
    get peak() {
      return peak;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
