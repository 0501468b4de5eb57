import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * Runs TypeScript benchmark scripts in child processes, so that each measured client has
 * its own heap and its own peak RSS, and talks to them over stdout.
 *
 * Protocol: a child prints lines; a line `RESULT <json>` is its answer and a line
 * `READY <json>` says a server child is listening. Anything else is passed to our stderr.
 *
 * @module
 */

/** The bench package directory (children run with it as cwd so workspace packages resolve). */
export const BENCH_DIR = fileURLToPath(new URL("..", import.meta.url));

/** Node flags for a TypeScript child: `--expose-gc` and the tsx loader. */
export const TS_NODE_ARGS = ["--expose-gc", "--import", "tsx"];

/** Absolute path of a script under `bench/children/`. */
export function childScript(name: string): string {
  return fileURLToPath(new URL(`../children/${name}`, import.meta.url));
}

/** Options of {@link runChild}. */
export interface RunChildOptions {
  /** Kill the child and reject after this long. Default 120 000 ms. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

/** Runs `script` with `args` to completion and resolves with the JSON of its `RESULT` line. */
export function runChild<T>(
  script: string,
  args: string[],
  options: RunChildOptions = {},
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const child = spawn(process.execPath, [...TS_NODE_ARGS, script, ...args], {
      cwd: BENCH_DIR,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let result: T | undefined;
    let stderr = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${script} timed out`));
    }, options.timeoutMs ?? 120_000);
    forEachLine(child.stdout, (line) => {
      if (line.startsWith("RESULT ")) result = JSON.parse(line.slice(7)) as T;
      else process.stderr.write(`  [child] ${line}\n`);
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0 && result !== undefined) resolve(result);
      else reject(new Error(`${script} ${args.join(" ")} exited ${code}: ${stderr.slice(-2000)}`));
    });
  });
}

/** A server child that has printed its `READY` line. */
export interface ServerProcess<T> {
  /** What the child put on its `READY` line (e.g. its URL). */
  info: T;
  pid: number;
  /** Stops the child (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts a long-running server child and resolves once it prints `READY <json>`. */
export function startServer<T>(script: string, args: string[] = []): Promise<ServerProcess<T>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...TS_NODE_ARGS, script, ...args], {
      cwd: BENCH_DIR,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    let ready = false;
    const exited = new Promise<void>((done) => child.on("close", () => done()));
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (!ready)
        reject(new Error(`${script} exited ${code} before READY: ${stderr.slice(-2000)}`));
    });
    forEachLine(child.stdout, (line) => {
      if (ready || !line.startsWith("READY ")) return;
      ready = true;
      resolve({
        info: JSON.parse(line.slice(6)) as T,
        pid: child.pid ?? -1,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
          await exited;
        },
      });
    });
  });
}

/** Prints the answer of a child script in the protocol {@link runChild} reads. */
export function reportResult(value: unknown): void {
  process.stdout.write(`RESULT ${JSON.stringify(value)}\n`);
}

/** Prints the `READY` line of a server child. */
export function reportReady(value: unknown): void {
  process.stdout.write(`READY ${JSON.stringify(value)}\n`);
}

function forEachLine(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let buffered = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    buffered += chunk;
    let newline = buffered.indexOf("\n");
    while (newline >= 0) {
      onLine(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf("\n");
    }
  });
}
