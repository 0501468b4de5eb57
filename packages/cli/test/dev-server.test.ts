import { spawn } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseDuration } from "../src/dev/durations";
import { isAlive } from "../src/dev/state";
import { BIN, requireBuiltBinary, spawnArker } from "./harness";

/** A folder on PATH whose `arker` runs the built CLI, so recipes run exactly as written. */
let shimDir: string;
const stateDirs: string[] = [];

beforeAll(async () => {
  requireBuiltBinary();
  shimDir = await mkdtemp(join(tmpdir(), "arker-shim-"));
  const shim = join(shimDir, "arker");
  await writeFile(shim, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  await chmod(shim, 0o755);
});

afterEach(async () => {
  // Never leave a server behind, whatever a test did.
  for (const dir of stateDirs.splice(0)) {
    await spawnArker(["dev", "stop"], { env: { ARKER_STATE_DIR: dir } });
  }
});

async function stateDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "arker-state-"));
  stateDirs.push(dir);
  return dir;
}

/** Runs a POSIX shell script with the shim first on PATH; resolves with what it did. */
function sh(script: string, env: Record<string, string>, cwd?: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn("sh", ["-c", script], {
      cwd,
      env: { PATH: `${shimDir}:${process.env.PATH}`, HOME: env.HOME ?? tmpdir(), ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("arker dev as a server", () => {
  it("the README recipe returns at once; run, runs wait and stop work; no process is left", async () => {
    const dir = await stateDir();
    const script = [
      'eval "$(arker dev --detach)"',
      'echo "url=$ARKER_BASE_URL"',
      "VM=$(arker fork ubuntu)",
      "arker run \"$VM\" -- 'sleep 5; echo ok'",
      "RUN=$(arker run \"$VM\" --background -- 'sleep 5; echo ok')",
      'arker runs wait "$VM" "$RUN"',
      'echo "waited=$?"',
    ].join("\n");
    const started = Date.now();
    const result = await sh(script, { ARKER_STATE_DIR: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^url=http:\/\/127\.0\.0\.1:\d+$/m);
    expect(result.stdout).toMatch(/^ok\nok\nwaited=0$/m);
    // Real clock: both 5 s runs take their time, but nothing hangs on the background server.
    expect(Date.now() - started).toBeLessThan(45_000);
    const record = JSON.parse(await readFile(join(dir, "dev.json"), "utf8")) as { pid: number };
    expect(isAlive(record.pid)).toBe(true);

    const status = await spawnArker(["dev", "status", "--json"], { env: { ARKER_STATE_DIR: dir } });
    expect(status.code).toBe(0);
    expect(status.json()).toMatchObject({ running: true, pid: record.pid, clock: "real" });

    const stop = await spawnArker(["dev", "stop"], { env: { ARKER_STATE_DIR: dir } });
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stderr).toContain(`stopped arker dev (pid ${record.pid})`);
    expect(isAlive(record.pid)).toBe(false);
    const after = await spawnArker(["dev", "status"], { env: { ARKER_STATE_DIR: dir } });
    expect(after.code).toBe(1);
    expect(after.stderr).toMatch(/no background arker dev running/);
  }, 90_000);

  it("advance, reset and fail-host reach the background server's control routes", async () => {
    const dir = await stateDir();
    const script = [
      'eval "$(arker dev --detach --clock manual)"',
      "VM=$(arker fork ubuntu)",
      "RUN=$(arker run \"$VM\" --background -- 'sleep 90; echo late')",
      "arker dev advance 90s",
      'arker runs wait "$VM" "$RUN"',
      "VM2=$(arker fork ubuntu --name doomed)",
      'arker dev fail-host doomed; echo "failed=$?"',
      'arker get "$VM2" --json | grep -o \'"state": *"[a-z]*"\'',
      "arker dev reset",
      'arker runs get "$VM" "$RUN"; echo "after-reset=$?"',
    ].join("\n");
    const result = await sh(script, { ARKER_STATE_DIR: dir });
    expect(result.stdout, result.stderr).toMatch(
      /^2025-01-01T00:01:30\.000Z\nlate\nfailed=0\n"state": *"failed"\n/m,
    );
    expect(result.stderr).toMatch(/failed the host of vm_/);
    expect(result.stdout).toMatch(/after-reset=5$/m);
  }, 90_000);

  it("--detach twice reuses the running server; the second says so", async () => {
    const dir = await stateDir();
    const first = await spawnArker(["dev", "--detach"], { env: { ARKER_STATE_DIR: dir } });
    const second = await spawnArker(["dev", "--detach"], { env: { ARKER_STATE_DIR: dir } });
    expect(first.code, first.stderr).toBe(0);
    expect(second.text).toBe(first.text);
    expect(second.stderr).toMatch(/already running/);
  }, 60_000);

  it("finds @arker-ai/testing in the current project before the CLI's own", async () => {
    const project = await mkdtemp(join(tmpdir(), "arker-project-"));
    const stub = join(project, "node_modules", "@arker-ai", "testing");
    await mkdir(stub, { recursive: true });
    await writeFile(join(project, "package.json"), '{"name":"p","private":true}');
    await writeFile(
      join(stub, "package.json"),
      '{"name":"@arker-ai/testing","version":"0.0.0","main":"index.cjs"}',
    );
    await writeFile(
      join(stub, "index.cjs"),
      // Like a real server, the stub keeps the process alive until it is closed (without a
      // handle the background process could exit before the parent read its record).
      "exports.startFakeServer = async () => { const alive = setInterval(() => {}, 1 << 30); return { url: 'http://project-copy.invalid', apiKey: 'ark_test_project', close: async () => clearInterval(alive) }; };\n",
    );
    const dir = await stateDir();
    const result = await sh("arker dev --detach", { ARKER_STATE_DIR: dir }, project);
    try {
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain("export ARKER_BASE_URL=http://project-copy.invalid\n");
    } finally {
      await sh("arker dev stop", { ARKER_STATE_DIR: dir }, project);
    }
  }, 60_000);

  it.each([
    [["dev", "advance", "soon"], /duration is a number and a unit/],
    [["dev", "--clock", "fast"], /--clock must be one of auto, real, manual/],
    [["dev", "--port", "70000"], /--port must be between 0 and 65535/],
  ])("arker %j is a usage error", async (args, message) => {
    const result = await spawnArker(args, { env: { ARKER_STATE_DIR: await stateDir() } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it("control commands without a running server fail with a hint", async () => {
    const result = await spawnArker(["dev", "reset"], {
      env: { ARKER_STATE_DIR: await stateDir() },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^arker: not_running: .*\nhint: eval "\$\(arker dev --detach\)"/m,
    );
  });
});

describe("parseDuration", () => {
  it.each([
    ["90s", 90_000],
    ["5m", 300_000],
    ["1h", 3_600_000],
    ["250ms", 250],
    ["1.5h", 5_400_000],
    ["1.25s", 1_250],
    [" 5m\n", 300_000],
  ])("%j is %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["", "5", "m", "-1s", "1w", "1e3s", "5mx", "5m 2s"])("%j is refused", (text) => {
    expect(() => parseDuration(text)).toThrow(/duration/);
  });
});
