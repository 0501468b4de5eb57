import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import type { FakeServer, RequestLine, StartOptions } from "../src/dev/load-testing";
import type { DevRecord } from "../src/dev/state";
import { runCli } from "../src/index";

/**
 * `arker dev` in the foreground on a stand-in @arker-ai/testing older than 0.7 (no
 * `exposure`, no `controlToken`), found in a project folder given as the CLI's cwd: the
 * stand-in's startFakeServer calls `globalThis.arkerDevStub`, which each test sets.
 */
declare global {
  var arkerDevStub: ((options: StartOptions) => Promise<FakeServer>) | undefined;
}

let project: string;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), "arker-dev-old-testing-"));
  const stub = join(project, "node_modules", "@arker-ai", "testing");
  await mkdir(stub, { recursive: true });
  await writeFile(join(project, "package.json"), '{"name":"p","private":true}');
  await writeFile(
    join(stub, "package.json"),
    '{"name":"@arker-ai/testing","version":"0.6.0","main":"index.cjs"}',
  );
  await writeFile(
    join(stub, "index.cjs"),
    "exports.startFakeServer = (options) => globalThis.arkerDevStub(options);\n",
  );
});

/** A stand-in server; records the options it was started with and whether it was closed. */
function stubServer(extra: Partial<FakeServer> = {}) {
  const seen = { options: undefined as StartOptions | undefined, closed: 0 };
  const server: FakeServer = {
    url: "http://127.0.0.1:9",
    apiKey: "ark_test_old",
    close: async () => {
      seen.closed++;
    },
    ...extra,
  };
  globalThis.arkerDevStub = async (options) => {
    seen.options = options;
    return server;
  };
  return { server, seen };
}

/** How {@link foreground} runs. */
interface ForegroundOptions {
  /** Gets the stderr so far and the record file; returning from it is the Ctrl-C. */
  whileRunning?: (stderr: () => string, recordFile: string) => Promise<void>;
  /** Whether ARKER_DEV_RECORD is set (default true). */
  withRecordFile?: boolean;
  /** The stdout stream (default: collected). */
  stdout?: Writable;
}

/** Runs `arker dev ...args` in process from the project, stopped when `whileRunning` returns. */
async function foreground(args: string[], options: ForegroundOptions = {}) {
  const { whileRunning = async () => {}, withRecordFile = true } = options;
  const dir = await mkdtemp(join(tmpdir(), "arker-dev-old-state-"));
  const recordFile = join(dir, "running.json");
  let stdout = "";
  let stderr = "";
  const stream = (append: (text: string) => void) =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        append(chunk.toString("utf8"));
        done();
      },
    });
  const code = await runCli(["dev", ...args], {
    stdout:
      options.stdout ??
      stream((text) => {
        stdout += text;
      }),
    stderr: stream((text) => {
      stderr += text;
    }),
    stdin: (async function* () {})(),
    env: {
      HOME: dir,
      ARKER_STATE_DIR: dir,
      ...(withRecordFile ? { ARKER_DEV_RECORD: recordFile } : {}),
    },
    cwd: project,
    stdoutIsTTY: false,
    stderrIsTTY: false,
    waitForShutdown: async () => {
      await whileRunning(() => stderr, recordFile);
      return "SIGINT";
    },
  });
  return { code, stdout, stderr: () => stderr, recordFile };
}

async function until(condition: () => boolean): Promise<void> {
  for (let tries = 0; tries < 200 && !condition(); tries++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("arker dev in the foreground with a testing package older than 0.7", () => {
  it("warns itself off loopback; the record's control token is the key and its clock real", async () => {
    const { seen } = stubServer();
    let record: DevRecord | undefined;
    const run = await foreground(["--host", "0.0.0.0", "--port", "8787"], {
      whileRunning: async (_stderr, file) => {
        // waitForShutdown is asked before the record is written.
        await until(() => existsSync(file));
        record = JSON.parse(await readFile(file, "utf8")) as DevRecord;
      },
    });
    expect(run.code, run.stderr()).toBe(0);
    expect(seen.options).toEqual({ host: "0.0.0.0", port: 8787 });
    expect(run.stderr()).toBe(
      "arker: warning: listening on 0.0.0.0: anyone who can reach it can use this fake server\n" +
        "fake Arker server on http://127.0.0.1:9 (clock real); Ctrl-C to stop\n",
    );
    expect(record).toMatchObject({ pid: process.pid, controlToken: "ark_test_old", clock: "real" });
    expect(run.stdout).toContain("export ARKER_API_KEY=ark_test_old\n");
    expect(existsSync(run.recordFile)).toBe(false);
    expect(seen.closed).toBe(1);
  });

  it.each([["0.0.0.0"], ["192.168.1.2"], ["128.0.0.1"], ["host.example"]])(
    "--host %s is not loopback: warned",
    async (host) => {
      stubServer();
      const run = await foreground(["--host", host], { withRecordFile: false });
      expect(run.code, run.stderr()).toBe(0);
      expect(run.stderr()).toContain(`arker: warning: listening on ${host}: anyone who can reach`);
    },
  );

  it.each([[["--host", "localhost"]], [["--host", "::1"]], [["--host", "127.0.0.2"]], [[]]])(
    "%j is loopback: no warning (and no record without ARKER_DEV_RECORD)",
    async (args) => {
      stubServer();
      const run = await foreground(args, { withRecordFile: false });
      expect(run.code, run.stderr()).toBe(0);
      expect(run.stderr()).toBe(
        "fake Arker server on http://127.0.0.1:9 (clock real); Ctrl-C to stop\n",
      );
    },
  );

  it("a record someone else removed first: shutdown still succeeds", async () => {
    const { seen } = stubServer();
    const run = await foreground([], {
      whileRunning: async (_stderr, file) => {
        await until(() => existsSync(file));
        await rm(file);
      },
    });
    expect(run.code, run.stderr()).toBe(0);
    expect(seen.closed).toBe(1);
  });

  it("logs each answered call, with - and ? for missing fields, and again after a reset", async () => {
    const log = readsCounted([]);
    stubServer({ fake: log.fake });
    const run = await foreground([], {
      whileRunning: async (stderr) => {
        log.set([{ status: 200, method: "GET", path: "/v1/vms" }, {}]);
        await until(() => stderr().includes("- ? ?\n"));
        // A check with nothing new prints nothing again.
        const reads = log.reads();
        await until(() => log.reads() >= reads + 2);
        // A reset empties the log: the next entries start again from the first.
        log.set([{ status: 201, method: "POST", path: "/v1/vms" }]);
        await until(() => stderr().includes("201 POST"));
      },
    });
    expect(run.code, run.stderr()).toBe(0);
    expect(run.stderr().split("\n").slice(1)).toEqual([
      "200 GET /v1/vms",
      "- ? ?",
      "201 POST /v1/vms",
      "",
    ]);
    // Stopped: an entry after shutdown is not printed.
    log.set([
      { status: 201, method: "POST", path: "/v1/vms" },
      { status: 204, method: "DELETE", path: "/x" },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(run.stderr()).not.toContain("DELETE");
  });

  it("a fake without a request log: the checks find nothing and nothing breaks", async () => {
    const log = readsCounted(undefined);
    stubServer({ fake: log.fake });
    const run = await foreground([], {
      whileRunning: async () => {
        await until(() => log.reads() >= 2);
      },
    });
    expect(log.reads()).toBeGreaterThanOrEqual(2);
    expect(run.code, run.stderr()).toBe(0);
    expect(run.stderr()).toBe(
      "fake Arker server on http://127.0.0.1:9 (clock real); Ctrl-C to stop\n",
    );
  });

  it("output that cannot be written: stops at once without waiting for a Ctrl-C", async () => {
    const { seen } = stubServer();
    const broken = new Writable({
      write(_chunk, _encoding, done) {
        done(new Error("EPIPE: the reader is gone"));
      },
    });
    broken.on("error", () => {}); // the failed write reaches the CLI as well
    const run = await foreground([], {
      stdout: broken,
      whileRunning: () => new Promise(() => {}),
    });
    expect(run.code).not.toBe(0);
    expect(seen.closed).toBe(1);
    expect(existsSync(run.recordFile)).toBe(false);
  });
});

/** A fake whose request log is `initial` (replaced by `set`), counting how often it is read. */
function readsCounted(initial: RequestLine[] | undefined) {
  let requests = initial;
  let reads = 0;
  return {
    fake: {
      get requests() {
        reads++;
        return requests;
      },
    },
    set: (next: RequestLine[]) => {
      requests = next;
    },
    reads: () => reads,
  };
}
