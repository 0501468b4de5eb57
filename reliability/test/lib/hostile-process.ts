import { spawn } from "node:child_process";
import { request as httpGet } from "node:http";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("./hostile-server.mjs", import.meta.url));

/** What the hostile server counted. */
export interface HostileStats {
  requests: number;
  /** Requests that reached a redirect's target: a followed redirect. */
  trapHits: number;
  /** Client connections still open (the stats request's own excluded). */
  openSockets: number;
  /** Bytes of endless bodies written per mode before the client hung up. */
  sentBytes: Record<string, number>;
}

/** The hostile server's process. */
export interface HostileServer {
  url: string;
  stats(): Promise<HostileStats>;
  /** Stops it (SIGTERM) and waits for the process to exit. */
  stop(): Promise<void>;
}

/** Starts `hostile-server.mjs` in a child process and waits until it listens. */
export function startHostileServer(): Promise<HostileServer> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT], { stdio: ["ignore", "pipe", "inherit"] });
    const exited = new Promise<void>((done) => child.once("exit", () => done()));
    let output = "";
    child.once("error", reject);
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      output += chunk;
      const port = /listening (\d+)/.exec(output)?.[1];
      if (!port) return;
      child.stdout.removeAllListeners("data");
      child.stdout.resume();
      const url = `http://127.0.0.1:${port}`;
      resolve({
        url,
        stats: () => readStats(`${url}/_stats`),
        stop: async () => {
          child.kill("SIGTERM");
          await exited;
        },
      });
    });
    child.once("exit", (code) => reject(new Error(`hostile server exited with ${code}`)));
  });
}

/** GET /_stats on a connection of its own (not the client's pool under test). */
function readStats(url: string): Promise<HostileStats> {
  return new Promise((resolve, reject) => {
    const req = httpGet(url, { agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        text += chunk;
      });
      res.on("end", () => resolve(JSON.parse(text) as HostileStats));
    });
    req.on("error", reject);
    req.end();
  });
}
