import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CLI_BIN, ensureCliBuilt, runCli } from "./lib/cli";
import { SOAK, startFake } from "./lib/connect";
import { bump, createFigures, saveFigures } from "./lib/figures";
import { patternBytes, Rng, sha256 } from "./lib/random";

const TRIALS = SOAK ? 30 : 6;
/** A 2 MiB write; every request is held so a Ctrl-C lands while it is in flight. */
const SIZE = 2 * 1024 * 1024 + 1;
const LATENCY_MS = 1_500;

const figures = createFigures(
  "signals",
  `Ctrl-C during \`arker sync\` writes: ${TRIALS} writes of ${SIZE} B through the built bin, every request slowed by ${LATENCY_MS} ms, SIGINT at a random moment 0.7–2 s after start (Node takes ~0.5 s to load the CLI, so most land while the write is held). Each must exit 130 (or 0 when it finished first) within the grace, and the remote file must read back as the old or the new version, whole.`,
);
afterAll(() => saveFigures(figures));

/** Spawns `arker ...args`, sends SIGINT after `afterMs`; resolves with its exit code and stderr. */
function interruptAfter(args: string[], env: Record<string, string>, afterMs: number) {
  return new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stderr: string;
    exitMs: number;
  }>((resolve) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], {
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    let sentAt = Date.now();
    const timer = setTimeout(() => {
      sentAt = Date.now();
      child.kill("SIGINT");
    }, afterMs);
    const guard = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      clearTimeout(guard);
      resolve({ code, signal, stderr, exitMs: Date.now() - sentAt });
    });
  });
}

describe("signals", () => {
  it("Ctrl-C mid-transfer: exit 130, the remote file old or new and whole", async () => {
    ensureCliBuilt();
    const fake = await startFake({ listen: true, seed: 130 });
    const home = mkdtempSync(join(tmpdir(), "arker-signals-"));
    const env = {
      HOME: home,
      ARKER_CONFIG_DIR: join(home, ".arker"),
      ARKER_BASE_URL: fake.url!,
      ARKER_API_KEY: fake.apiKey,
      NO_COLOR: "1",
    };
    const defects: string[] = [];
    const outcomes: Record<string, number> = {};
    try {
      const vm = (await runCli(["fork", "ubuntu"], env)).stdout.trim();
      const path = "/tmp/signals.bin";
      const rng = new Rng(130);
      let current = patternBytes(SIZE, 0);
      const attempted = new Set<string>([sha256(current)]);
      const first = join(home, "v0");
      writeFileSync(first, current);
      expect((await runCli(["sync", vm, path, first], env)).code).toBe(0);
      fake.faults.add({
        path: "**",
        probability: 1,
        effect: { type: "latency", ms: LATENCY_MS },
      });
      for (let trial = 1; trial <= TRIALS; trial++) {
        const next = patternBytes(SIZE, trial);
        attempted.add(sha256(next));
        const file = join(home, `v${trial}`);
        writeFileSync(file, next);
        figures.operations++;
        const afterMs = 700 + Math.floor(rng.next() * 1300);
        const result = await interruptAfter(["sync", vm, path, file], env, afterMs);
        // Killed by SIGINT itself: the signal came before Node had loaded the CLI and its
        // handler (a shell shows 130 too); nothing was sent yet.
        const early = result.code === null && result.signal === "SIGINT";
        bump(outcomes, early ? "killed before the handler" : `exit ${result.code}`);
        if (result.code !== 130 && result.code !== 0 && !early) {
          defects.push(`trial ${trial}: exit ${result.code}: ${result.stderr.slice(0, 160)}`);
        }
        if (result.code === 130 && result.exitMs > 3_500) {
          defects.push(`trial ${trial}: exited ${result.exitMs} ms after SIGINT`);
        }
        fake.faults.clear();
        const read = await runCli(["sync", vm, path], env);
        fake.faults.add({
          path: "**",
          probability: 1,
          effect: { type: "latency", ms: LATENCY_MS },
        });
        const seen = sha256(read.stdoutBytes);
        if (seen === sha256(next)) {
          bump(outcomes, "remote new");
          current = next;
        } else if (seen === sha256(current)) {
          bump(outcomes, "remote old");
        } else if (attempted.has(seen)) {
          // An aborted write the fake still applied after the client went away (the abort
          // cannot recall a request already sent): a whole earlier version, not a torn one.
          bump(outcomes, "remote an earlier aborted write, landed late");
        } else {
          figures.bytesLost += SIZE;
          defects.push(
            `trial ${trial}: the remote file is neither version (${read.stdoutBytes.length} B)`,
          );
        }
      }
    } finally {
      figures.requests = fake.requests.length;
      figures.notes = { ...outcomes, "latency per request (ms)": LATENCY_MS };
      await fake.close();
    }
    expect(defects).toEqual([]);
    expect(outcomes["exit 130"] ?? 0).toBeGreaterThan(0);
  }, 180_000);

  it("Ctrl-C during a foreground arker run: the remote command gets SIGINT, the CLI exits with its code", async () => {
    ensureCliBuilt();
    const fake = await startFake({ listen: true, seed: 131, clock: "real" });
    const home = mkdtempSync(join(tmpdir(), "arker-signals-run-"));
    const env = {
      HOME: home,
      ARKER_CONFIG_DIR: join(home, ".arker"),
      ARKER_BASE_URL: fake.url!,
      ARKER_API_KEY: fake.apiKey,
      NO_COLOR: "1",
    };
    const defects: string[] = [];
    try {
      const vm = (await runCli(["fork", "ubuntu"], env)).stdout.trim();
      for (let trial = 1; trial <= (SOAK ? 10 : 2); trial++) {
        figures.operations++;
        const before = fake.vms.find((one) => one.vm_id === vm)?.runs.length ?? 0;
        // SIGINT once the run is in flight in the fake (held: `sleep 60` in real time).
        const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, [CLI_BIN, "run", vm, "--", "sleep", "60"], {
            env: { PATH: process.env.PATH ?? "", ...env },
            stdio: ["ignore", "ignore", "pipe"],
          });
          let stderr = "";
          child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
          const poll = setInterval(() => {
            const runs = fake.vms.find((one) => one.vm_id === vm)?.runs ?? [];
            if (runs.length > before && runs[0]?.state === "running") {
              clearInterval(poll);
              child.kill("SIGINT");
            }
          }, 20);
          const guard = setTimeout(() => child.kill("SIGKILL"), 30_000);
          child.on("close", (code) => {
            clearInterval(poll);
            clearTimeout(guard);
            resolve({ code, stderr });
          });
        });
        const remote = fake.vms.find((one) => one.vm_id === vm)?.runs[0];
        if (result.code !== 130)
          defects.push(`trial ${trial}: exit ${result.code}: ${result.stderr}`);
        if (
          remote?.state !== "failed" ||
          remote.fail_reason !== "signal" ||
          remote.exit_code !== 130
        )
          defects.push(
            `trial ${trial}: the remote run is ${JSON.stringify(remote?.state)} ${remote?.fail_reason}`,
          );
      }
    } finally {
      await fake.close();
    }
    expect(defects).toEqual([]);
  }, 120_000);
});
