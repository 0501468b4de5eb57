import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { createFakeArker, type FakeArker } from "@arker-ai/testing";
import { afterAll, beforeAll, expect } from "vitest";
import { type CliIo, runCli } from "../src/index";
import { UsageError } from "../src/support/errors";

/** The built executable. */
export const BUILT_BIN = fileURLToPath(new URL("../dist/bin.js", import.meta.url));

/**
 * What the end-to-end tests spawn: a copy of {@link BUILT_BIN} made by the global setup,
 * inside the package's node_modules so it resolves commander and the SDK like dist does.
 */
export const TEST_BIN = fileURLToPath(
  new URL("../node_modules/.arker-cli-test/bin.js", import.meta.url),
);

/** The binary spawned by {@link spawnArker}. */
export const BIN = TEST_BIN;

/** Fails early, with the fix, when the binary was not built. */
export function requireBuiltBinary(): void {
  if (!existsSync(BUILT_BIN)) {
    throw new Error(`${BUILT_BIN} is missing: run pnpm turbo run build --filter=@arker-ai/cli...`);
  }
}

/** What one `arker` process did. */
export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  /** stderr as UTF-8 (for matching). */
  stderr: string;
  /** stderr as bytes. */
  stderrBytes: Buffer;
  /** stdout as UTF-8. */
  text: string;
  /** stdout parsed as one JSON document. */
  json<T = Record<string, unknown>>(): T;
}

/** Options of {@link runArker}. */
export interface RunArkerOptions {
  /** Extra or overriding environment variables (`undefined` removes one). */
  env?: Record<string, string | undefined>;
  /** Bytes for stdin (default: empty, closed). */
  stdin?: Uint8Array | string;
  /** Secrets that must not appear in stdout or stderr (checked after every run). */
  secrets?: readonly string[];
  /** Kill the process after this many ms (default 30 s; spawned runs only). */
  timeoutMs?: number;
  /** Whether stdin is a terminal (in-process runs only). Default false. */
  stdinIsTTY?: boolean;
  /**
   * Whether stderr is a terminal (in-process runs only): the stream then claims `isTTY`
   * with 120 columns, so a progress bar draws on it. Default false.
   */
  stderrIsTTY?: boolean;
  /** Resolves when `arker dev` should stop (in-process runs only). Default: never. */
  waitForShutdown?: () => Promise<string>;
}

/**
 * Runs `arker ...args` in this process through `runCli`, with in-memory streams and
 * exactly `env` as its environment, and collects its output. Asserts that no secret
 * leaked into either stream.
 */
export async function runArker(
  args: readonly string[],
  options: RunArkerOptions = {},
): Promise<CliRun> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value !== undefined) env[name] = value;
  }
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  const stdin = options.stdin;
  const stderrIsTTY = options.stderrIsTTY ?? false;
  const io: CliIo = {
    stdout: collector(stdout),
    stderr: stderrIsTTY
      ? Object.assign(collector(stderr), { isTTY: true, columns: 120 })
      : collector(stderr),
    stdin: (async function* () {
      if (stdin !== undefined && stdin.length > 0) yield stdin;
    })(),
    env,
    stdoutIsTTY: false,
    stderrIsTTY,
    stdinIsTTY: options.stdinIsTTY ?? false,
    ...(options.waitForShutdown ? { waitForShutdown: options.waitForShutdown } : {}),
  };
  const code = await runCli(args, io);
  return collected(args, code, null, Buffer.concat(stdout), Buffer.concat(stderr), options);
}

function collector(chunks: Buffer[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
}

/**
 * Spawns `node dist/bin.js ...args` with a clean environment (PATH only, plus `env`)
 * and collects its output. Asserts that no secret leaked into either stream. For the
 * one smoke test per command family; everything else runs in process ({@link runArker}).
 */
export function spawnArker(
  args: readonly string[],
  options: RunArkerOptions = {},
): Promise<CliRun> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries({ PATH: process.env.PATH, ...options.env })) {
    if (value !== undefined) env[name] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve(collected(args, code, signal, Buffer.concat(stdout), Buffer.concat(stderr), options));
    });
    child.stdin.on("error", () => {});
    child.stdin.end(options.stdin ?? "");
  });
}

function collected(
  args: readonly string[],
  code: number | null,
  signal: NodeJS.Signals | null,
  out: Buffer,
  errBytes: Buffer,
  options: RunArkerOptions,
): CliRun {
  const err = errBytes.toString("utf8");
  for (const secret of options.secrets ?? []) {
    expect(out.includes(secret), `secret leaked on stdout of arker ${args.join(" ")}`).toBe(false);
    expect(err.includes(secret), `secret leaked on stderr of arker ${args.join(" ")}`).toBe(false);
  }
  return {
    code,
    signal,
    stdout: out,
    stderr: err,
    stderrBytes: errBytes,
    text: out.toString("utf8"),
    json<T>() {
      try {
        return JSON.parse(out.toString("utf8")) as T;
      } catch {
        throw new Error(
          `stdout of arker ${args.join(" ")} is not one JSON document:\n${out}\n${err}`,
        );
      }
    },
  };
}

/** A fresh, empty directory to use as HOME (and so as the config directory). */
export function temporaryHome(): Promise<string> {
  return mkdtemp(join(tmpdir(), "arker-cli-home-"));
}

/** The server facts the CLI needs. */
export interface Target {
  url: string;
  apiKey: string;
}

/**
 * A bound `runArker` (in process; `spawnArker` when `spawned`) pointed at a fake through
 * ARKER_BASE_URL / ARKER_API_KEY, with a temporary HOME, that always checks the key
 * never leaks.
 */
export function cliFor(target: Target, home: string, spawned = false) {
  const run = spawned ? spawnArker : runArker;
  return (args: readonly string[], options: RunArkerOptions = {}) =>
    run(args, {
      ...options,
      env: {
        HOME: home,
        ARKER_BASE_URL: target.url,
        ARKER_API_KEY: target.apiKey,
        ...options.env,
      },
      secrets: [target.apiKey, ...(options.secrets ?? [])],
    });
}

/**
 * The CLI ({@link cliFor}, in process) pointed at one listening fake that a test file's
 * tests share: the fake opens before them and closes after them. Call it at the top level.
 */
export function cliOnSharedFake(): ReturnType<typeof cliFor> {
  let fake: FakeArker | undefined;
  let cli: ReturnType<typeof cliFor> | undefined;
  beforeAll(async () => {
    fake = await createFakeArker({ listen: true, python: false });
    cli = cliFor({ url: fake.url as string, apiKey: fake.apiKey }, await temporaryHome());
  });
  afterAll(async () => {
    await fake?.close();
  });
  return (args, options) => {
    if (cli === undefined)
      throw new Error("cliOnSharedFake's CLI is used before its beforeAll ran");
    return cli(args, options);
  };
}

/** True when `parse` rejects its input with a usage error (any other error fails the test). */
export function rejectsAsUsage(parse: () => unknown): boolean {
  try {
    parse();
    return false;
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return true;
  }
}
