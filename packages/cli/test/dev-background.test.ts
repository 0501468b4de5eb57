import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startInBackground, stopProcess } from "../src/dev/background";
import { type DevPaths, devPaths, isAlive } from "../src/dev/state";
import { CliError } from "../src/support/errors";
import { runArker } from "./harness";

/** A state folder, and a Node script beside it that `startInBackground` runs instead of the CLI. */
async function withScript(source: string): Promise<{ paths: DevPaths; script: string }> {
  const dir = await mkdtemp(join(tmpdir(), "arker-dev-background-"));
  const script = join(dir, "fake-cli.cjs");
  await writeFile(script, source);
  const paths = devPaths({ ARKER_STATE_DIR: join(dir, "state") });
  await mkdir(paths.dir);
  return { paths, script };
}

/** `startInBackground` with process.argv[1] (the CLI it starts) set to `script`. */
async function startScript(
  script: string,
  paths: DevPaths,
  env: NodeJS.ProcessEnv,
  startTimeoutMs?: number,
) {
  const own = process.argv[1];
  process.argv[1] = script;
  try {
    return await startInBackground(paths, ["--clock", "manual"], env, startTimeoutMs);
  } finally {
    process.argv[1] = own as string;
  }
}

/** Ids of the processes whose command line holds `text` (Linux: /proc). */
function processesRunning(text: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(text)) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

async function until(condition: () => boolean): Promise<void> {
  for (let tries = 0; tries < 200 && !condition(); tries++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const RECORDING_SCRIPT = `
const { writeFileSync } = require("node:fs");
console.log("argv " + process.argv.slice(2).join(" "));
console.error("mark " + process.env.MARK);
writeFileSync(process.env.ARKER_DEV_RECORD, JSON.stringify({
  pid: process.pid, url: "http://127.0.0.1:1", apiKey: "k", controlToken: "t", clock: "manual",
  startedAt: "2026-01-02T03:04:05.000Z",
}));
setInterval(() => {}, 1000);
`;

describe.runIf(process.platform === "linux")("starting arker dev in the background", () => {
  it("runs `<cli> dev <flags>` in its own session, output appended to the log, with the env", async () => {
    const { paths, script } = await withScript(RECORDING_SCRIPT);
    await writeFile(paths.log, "an earlier run\n");
    const record = await startScript(script, paths, { MARK: "from-the-env" });
    try {
      expect(record).toMatchObject({ url: "http://127.0.0.1:1", clock: "manual" });
      // /proc/<pid>/stat: "pid (comm) state ppid pgrp session ..."
      const fields = readFileSync(`/proc/${record.pid}/stat`, "utf8").split(") ")[1]?.split(" ");
      expect(Number(fields?.[2]), "process group").toBe(record.pid);
      expect(Number(fields?.[3]), "session").toBe(record.pid);
      await until(() => readFileSync(paths.log, "utf8").includes("mark"));
      const log = await readFile(paths.log, "utf8");
      expect(log.startsWith("an earlier run\n")).toBe(true);
      expect(log).toContain("argv dev --clock manual\n");
      expect(log).toContain("mark from-the-env\n");
    } finally {
      await stopProcess(record.pid);
    }
    expect(isAlive(record.pid)).toBe(false);
  });

  it("a child that never writes its record is stopped at the deadline; the error shows the log", async () => {
    const { paths, script } = await withScript("setInterval(() => {}, 1000);\n");
    await writeFile(paths.log, `${[1, 2, 3, 4, 5, 6, 7].map((n) => `line ${n}`).join("\n")}\n\n`);
    const failed = await startScript(script, paths, {}, 300).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(CliError);
    expect(failed).toMatchObject({
      code: "dev_start_failed",
      exitCode: 1,
      message: "the background arker dev did not start:\nline 3\nline 4\nline 5\nline 6\nline 7",
      hint: `hint: the full log is ${paths.log}`,
    });
    await until(() => processesRunning(script).length === 0);
    expect(processesRunning(script)).toEqual([]);
  });

  it("a child that exits first: its exit code, and (no log) when the log is gone", async () => {
    const { paths, script } = await withScript(
      'require("node:fs").rmSync(process.env.LOG_FILE);\nprocess.exit(3);\n',
    );
    const failed = await startScript(script, paths, { LOG_FILE: paths.log }).catch(
      (error: unknown) => error,
    );
    expect(failed).toMatchObject({
      code: "dev_start_failed",
      exitCode: 3,
      message: "the background arker dev did not start:\n(no log)",
    });
    expect(existsSync(paths.record)).toBe(false);
  });
});

describe.runIf(process.platform === "linux")("arker dev --detach", () => {
  it("passes on only the flags given", async () => {
    const { paths, script } = await withScript(RECORDING_SCRIPT);
    const own = process.argv[1];
    process.argv[1] = script;
    let started: Awaited<ReturnType<typeof runArker>>;
    try {
      started = await runArker(["dev", "--detach", "--host", "127.0.0.1"], {
        env: { ARKER_STATE_DIR: paths.dir },
      });
    } finally {
      process.argv[1] = own as string;
    }
    expect(started.code, started.stderr).toBe(0);
    const { pid } = JSON.parse(await readFile(paths.record, "utf8")) as { pid: number };
    try {
      await until(() => readFileSync(paths.log, "utf8").includes("argv"));
      expect(readFileSync(paths.log, "utf8")).toContain("argv dev --host 127.0.0.1\n");
    } finally {
      await stopProcess(pid);
    }
  });
});

/** A Node child that prints "ready" once it has set up `setup`, then idles. */
async function childReady(setup: string) {
  const child = spawn(process.execPath, [
    "-e",
    `${setup}; setInterval(() => {}, 1000); console.log("ready");`,
  ]);
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on("exit", (_code, signal) => resolve(signal)),
  );
  await new Promise((resolve) => child.stdout.once("data", resolve));
  return { pid: child.pid as number, exited };
}

describe("stopping the background process (stopProcess)", () => {
  it("sends SIGTERM and resolves once the process is gone", async () => {
    const child = await childReady("");
    await stopProcess(child.pid);
    expect(await child.exited).toBe("SIGTERM");
  });

  it("a process that ignores SIGTERM gets SIGKILL after the grace period", async () => {
    const child = await childReady('process.on("SIGTERM", () => {})');
    await stopProcess(child.pid, 200);
    expect(await child.exited).toBe("SIGKILL");
  });

  it("a process already gone: resolves at once", async () => {
    const child = spawn(process.execPath, ["-e", ""]);
    const pid = await new Promise<number>((resolve) =>
      child.on("exit", () => resolve(child.pid as number)),
    );
    await expect(stopProcess(pid)).resolves.toBeUndefined();
  });
});
