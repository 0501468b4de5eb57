import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { createFakeArker, type FakeArker } from "@arker-ai/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevRecord, isAlive } from "../src/dev/state";
import { type CliIo, runCli } from "../src/index";
import { BIN, runArker } from "./harness";

let fake: FakeArker;

beforeAll(async () => {
  fake = await createFakeArker({ listen: true, python: false, clock: "manual" });
});

afterAll(async () => {
  await fake?.close();
});

/** A state folder holding the record of a background server at `record`. */
async function stateWith(record: Partial<DevRecord> | null): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "arker-dev-state-"));
  if (record !== null) {
    const full: DevRecord = {
      pid: process.pid,
      url: fake.url as string,
      apiKey: fake.apiKey,
      controlToken: fake.controlToken,
      clock: "manual",
      startedAt: "2026-01-02T03:04:05.000Z",
      ...record,
    };
    await writeFile(join(dir, "dev.json"), JSON.stringify(full));
  }
  return dir;
}

/** `arker dev ...args` in process, with the exports of the shared fake (as after `eval`). */
function dev(args: string[], dir: string) {
  return runArker(["dev", ...args], {
    env: { ARKER_STATE_DIR: dir, HOME: dir, ARKER_BASE_URL: fake.url, ARKER_API_KEY: fake.apiKey },
  });
}

describe.concurrent("arker dev's commands on a background server's record", () => {
  it("status says where it runs, human and --json; none is exit 1 with the hint", async () => {
    const dir = await stateWith({});
    const human = await dev(["status"], dir);
    expect(human.code, human.stderr).toBe(0);
    expect(human.text).toBe(
      `running: ${fake.url} (pid ${process.pid}, clock manual, since 2026-01-02T03:04:05.000Z)\n`,
    );
    expect((await dev(["status", "--json"], dir)).json()).toEqual({
      running: true,
      baseUrl: fake.url,
      pid: process.pid,
      clock: "manual",
      startedAt: "2026-01-02T03:04:05.000Z",
    });
    const none = await dev(["status"], await stateWith(null));
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(
      'arker: not_running: no background arker dev running\nhint: eval "$(arker dev --detach)"\n',
    );
  });

  it("a record whose process is gone, or that is not a record, counts as none and is removed", async () => {
    const child = spawn(process.execPath, ["-e", ""]);
    const gone = await new Promise<number>((resolve) =>
      child.on("exit", () => resolve(child.pid as number)),
    );
    const dir = await stateWith({ pid: gone });
    expect((await dev(["status"], dir)).code).toBe(1);
    expect(existsSync(join(dir, "dev.json"))).toBe(false);
    const broken = await stateWith(null);
    await writeFile(join(broken, "dev.json"), "{");
    expect((await dev(["status"], broken)).code).toBe(1);
    const noPid = await stateWith({ pid: 1.5 });
    expect((await dev(["status"], noPid)).code).toBe(1);
    expect(existsSync(join(noPid, "dev.json"))).toBe(false);
  });

  it("--detach with a server running prints its export lines and says it already runs", async () => {
    const dir = await stateWith({ url: "http://127.0.0.1:1", apiKey: "ark_test_x y" });
    const human = await dev(["--detach"], dir);
    expect(human.code, human.stderr).toBe(0);
    expect(human.text).toBe(
      [
        "export ARKER_BASE_URL=http://127.0.0.1:1",
        "export ARKER_CONTROL_BASE_URL=http://127.0.0.1:1",
        "export ARKER_API_KEY='ark_test_x y'",
        "",
      ].join("\n"),
    );
    expect(human.stderr).toBe(
      `already running: fake Arker server on http://127.0.0.1:1 (pid ${process.pid}, log ${join(dir, "dev.log")}); arker dev stop to stop\n`,
    );
    expect((await dev(["--detach", "--json"], dir)).json()).toEqual({
      baseUrl: "http://127.0.0.1:1",
      apiKey: "ark_test_x y",
      pid: process.pid,
      clock: "manual",
    });
  });

  it("advance, fail-host and reset call the server's controls with its token", async () => {
    const dir = await stateWith({});
    const advanced = await dev(["advance", "90s"], dir);
    expect(advanced.code, advanced.stderr).toBe(0);
    expect(advanced.text).toBe(`${new Date(fake.clock.now()).toISOString()}\n`);
    const vm = (
      await runArker(["fork", "ubuntu"], {
        env: { HOME: dir, ARKER_BASE_URL: fake.url, ARKER_API_KEY: fake.apiKey },
      })
    ).text.trim();
    const failed = await dev(["fail-host", vm], dir);
    expect(failed.code, failed.stderr).toBe(0);
    expect(failed.stderr).toBe(`failed the host of ${vm}\n`);
    expect(failed.text).toBe("");
    expect((await dev(["fail-host", vm, "--json"], dir)).json()).toEqual({
      vmId: vm,
      failed: true,
    });
    const reset = await dev(["reset"], dir);
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stderr).toBe("reset\n");
    expect((await dev(["reset", "--json"], dir)).json()).toEqual({ reset: true });
    const after = await runArker(["get", vm], {
      env: { HOME: dir, ARKER_BASE_URL: fake.url, ARKER_API_KEY: fake.apiKey },
    });
    expect(after.code).toBe(5);
  });

  it("a control the server refuses: 404 is not_found (exit 5), anything else exit 1", async () => {
    const missing = await dev(["fail-host", "vm_missing"], await stateWith({}));
    expect(missing.code).toBe(5);
    expect(missing.stderr).toMatch(
      /^arker: not_found: POST \/_fake\/fail-host\/vm_missing answered 404: .+/m,
    );
    const refused = await dev(["advance", "1s"], await stateWith({ controlToken: "wrong" }));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^arker: dev_control_failed: POST \/_fake\/clock\/advance answered 401: .+/m,
    );
    const none = await dev(["reset"], await stateWith(null));
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(
      'arker: not_running: no background arker dev running\nhint: eval "$(arker dev --detach)"\n',
    );
  });

  it("stop ends the recorded process and removes the record; with none it says so", async () => {
    const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"]);
    const exited = new Promise((resolve) => child.on("exit", resolve));
    const dir = await stateWith({ pid: child.pid as number });
    const stopped = await dev(["stop"], dir);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stderr).toBe(`stopped arker dev (pid ${child.pid})\n`);
    await exited;
    expect(existsSync(join(dir, "dev.json"))).toBe(false);
    const none = await dev(["stop"], dir);
    expect(none.code).toBe(0);
    expect(none.stderr).toBe("no background arker dev running\n");
    expect((await dev(["stop", "--json"], dir)).json()).toEqual({ stopped: false });
  });
});

describe("arker dev in the foreground, in process", () => {
  it("writes its record, logs each call, warns off loopback, and cleans up on shutdown", async () => {
    const dir = await stateWith(null);
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
    let seenRecord: DevRecord | undefined;
    const io: CliIo = {
      stdout: stream((text) => {
        stdout += text;
      }),
      stderr: stream((text) => {
        stderr += text;
      }),
      stdin: (async function* () {})(),
      env: { HOME: dir, ARKER_STATE_DIR: dir, ARKER_DEV_RECORD: recordFile },
      stdoutIsTTY: false,
      stderrIsTTY: false,
      stdinIsTTY: false,
      waitForShutdown: async () => {
        for (let tries = 0; tries < 100 && !existsSync(recordFile); tries++) await pause();
        seenRecord = JSON.parse(await readFile(recordFile, "utf8")) as DevRecord;
        await fetch(`${seenRecord.url}/v1/vms`, {
          headers: { authorization: `Bearer ${seenRecord.apiKey}` },
        });
        for (let tries = 0; tries < 100 && !/ GET \/v1\/vms\n/.test(stderr); tries++) await pause();
        return "SIGINT";
      },
    };
    const code = await runCli(["dev", "--clock", "manual", "--host", "0.0.0.0"], io);
    expect(code, stderr).toBe(0);
    expect(seenRecord).toMatchObject({ pid: process.pid, clock: "manual" });
    const record = seenRecord as DevRecord;
    expect(record.controlToken).not.toBe(record.apiKey);
    expect(stdout).toBe(
      `export ARKER_BASE_URL=${record.url}\nexport ARKER_CONTROL_BASE_URL=${record.url}\nexport ARKER_API_KEY=${record.apiKey}\n`,
    );
    expect(stderr).toMatch(
      /^arker: warning: listening on 0\.0\.0\.0: the fake is reachable from other machines/m,
    );
    expect(stderr).toContain(`fake Arker server on ${record.url} (clock manual); Ctrl-C to stop\n`);
    expect(stderr).toMatch(/^200 GET \/v1\/vms$/m);
    expect(existsSync(recordFile)).toBe(false);
    // The server is closed.
    await expect(fetch(`${record.url}/v1/vms`)).rejects.toThrow();
  });
});

describe("arker dev's controls against a server answering oddly", () => {
  /** A server answering every call with `status` and `body`; keeps what it was sent. */
  async function bareServer(status: number, body: string) {
    const calls: { url?: string; authorization?: string; body: string }[] = [];
    const server = createServer((request, response) => {
      let received = "";
      request.on("data", (chunk: Buffer) => {
        received += chunk;
      });
      request.on("end", () => {
        calls.push({
          url: request.url,
          authorization: request.headers.authorization,
          body: received,
        });
        response.writeHead(status).end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, calls, close: () => server.close() };
  }

  it("an empty 2xx answer is an empty document; the body sent is the JSON of the duration", async () => {
    const server = await bareServer(200, "");
    try {
      const dir = await stateWith({ url: server.url, controlToken: "the-token" });
      const advanced = await dev(["advance", "1s", "--json"], dir);
      expect(advanced.code, advanced.stderr).toBe(0);
      expect(advanced.json()).toEqual({});
      expect(server.calls).toEqual([
        { url: "/_fake/clock/advance", authorization: "Bearer the-token", body: '{"ms":1000}' },
      ]);
    } finally {
      server.close();
    }
  });

  it("a refusal quotes at most the first 200 characters of the answer", async () => {
    const server = await bareServer(500, `${"x".repeat(200)}${"y".repeat(100)}`);
    try {
      const refused = await dev(["reset"], await stateWith({ url: server.url }));
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(
        `arker: dev_control_failed: POST /_fake/reset answered 500: ${"x".repeat(200)}\n`,
      );
    } finally {
      server.close();
    }
  });
});

function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 50));
}

/** `arker dev ...args` in process, with process.argv[1] the built CLI (what --detach starts). */
async function devWithBin(args: string[], dir: string) {
  const own = process.argv[1];
  process.argv[1] = BIN;
  try {
    return await dev(args, dir);
  } finally {
    process.argv[1] = own as string;
  }
}

/** A port nothing listens on. */
async function freePort(): Promise<number> {
  const probe = await createFakeArker({ listen: true, python: false });
  const port = Number(new URL(probe.url as string).port);
  await probe.close();
  return port;
}

describe("arker dev --detach, in process", () => {
  it("starts the CLI in the background with the flags given; stop ends it", async () => {
    const dir = await stateWith(null);
    const port = await freePort();
    const started = await devWithBin(
      ["--detach", "--clock", "manual", "--host", "127.0.0.1", "--port", String(port)],
      dir,
    );
    expect(started.code, started.stderr).toBe(0);
    const record = JSON.parse(await readFile(join(dir, "dev.json"), "utf8")) as DevRecord;
    try {
      expect(record).toMatchObject({ url: `http://127.0.0.1:${port}`, clock: "manual" });
      expect(record.pid).not.toBe(process.pid);
      expect(isAlive(record.pid)).toBe(true);
      expect(started.stderr).toBe(
        `started: fake Arker server on http://127.0.0.1:${port} (pid ${record.pid}, log ${join(dir, "dev.log")}); arker dev stop to stop\n`,
      );
      expect(started.text).toContain(`export ARKER_API_KEY=${record.apiKey}\n`);
    } finally {
      const stopped = await dev(["stop"], dir);
      expect(stopped.stderr).toBe(`stopped arker dev (pid ${record.pid})\n`);
    }
    expect(isAlive(record.pid)).toBe(false);
  });

  it("a server that cannot start: exit with its code, the log's last lines, the log's path", async () => {
    const dir = await stateWith(null);
    const taken = new URL(fake.url as string).port;
    const failed = await devWithBin(["--detach", "--port", taken], dir);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      /^arker: dev_start_failed: the background arker dev did not start:\n(.+\n){1,5}hint: the full log is /,
    );
    expect(failed.stderr).toContain("EADDRINUSE");
    expect(failed.stderr.endsWith(`hint: the full log is ${join(dir, "dev.log")}\n`)).toBe(true);
    expect(existsSync(join(dir, "dev.json"))).toBe(false);
  });
});
