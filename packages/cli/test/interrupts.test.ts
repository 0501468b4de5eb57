import { spawn } from "node:child_process";
import { Writable } from "node:stream";
import { createFakeArker, type FakeArker } from "@arker-ai/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  handleInterrupts,
  type InterruptSignal,
  interruptGraceMs,
  RESTORE_TERMINAL,
  type SignalSource,
} from "../src/support/interrupts";
import { BIN, cliFor, requireBuiltBinary, temporaryHome } from "./harness";

let fake: FakeArker;
let home: string;

/** The spawned CLI's grace period here: 60 s, so that "exits at once" needs no tight bound. */
const LONG_GRACE_MS = 60_000;

beforeAll(async () => {
  requireBuiltBinary();
  fake = await createFakeArker({ listen: true, python: false, clock: "manual" });
  home = await temporaryHome();
});

afterAll(async () => {
  await fake?.close();
});

/**
 * Spawns the bin, sends `signal` once the fake has seen a new request matching `path`
 * (or, for a call the fake holds open and logs only when answered, after `path` ms).
 */
function interrupted(args: string[], path: RegExp | number, signal: NodeJS.Signals) {
  const before = fake.requests.length;
  const spawnedAt = Date.now();
  return new Promise<{ code: number | null; stderr: string; ms: number }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: {
        PATH: process.env.PATH,
        HOME: home,
        ARKER_BASE_URL: fake.url,
        ARKER_API_KEY: fake.apiKey,
        // Far past the bound below: an exit by the grace timer cannot pass for an abort.
        ARKER_INTERRUPT_GRACE_MS: String(LONG_GRACE_MS),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    let sentAt = 0;
    const poll = setInterval(() => {
      const due =
        typeof path === "number"
          ? Date.now() - spawnedAt > path
          : fake.requests.slice(before).some((entry) => path.test(entry.path));
      if (due) {
        clearInterval(poll);
        sentAt = Date.now();
        child.kill(signal);
      }
    }, 20);
    const guard = setTimeout(() => child.kill("SIGKILL"), LONG_GRACE_MS);
    child.on("close", (code) => {
      clearInterval(poll);
      clearTimeout(guard);
      resolve({ code, stderr, ms: Date.now() - sentAt });
    });
  });
}

async function backgroundRun(): Promise<{ vm: string; run: string }> {
  const cli = cliFor({ url: fake.url!, apiKey: fake.apiKey }, home);
  const vm = (await cli(["fork", "ubuntu"])).text.trim();
  fake.commands.on(`forever ${vm}`, () => ({ durationMs: 3_600_000 }));
  const run = (await cli(["run", vm, "--background", "--", "forever", vm])).text.trim();
  return { vm, run };
}

describe("SIGINT and SIGTERM", () => {
  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)(
    "%s aborts runs wait in flight and exits %d at once",
    async (signal, code) => {
      const { vm, run } = await backgroundRun();
      const result = await interrupted(
        ["runs", "wait", vm, run],
        new RegExp(`/runs/${run}$`),
        signal,
      );
      expect(result.code, result.stderr).toBe(code);
      expect(result.stderr).toMatch(/^arker: aborted: /m);
      // Aborted, not waited out by the (lengthened) grace timer.
      expect(result.ms).toBeLessThan(LONG_GRACE_MS / 2);
    },
    LONG_GRACE_MS + 10_000,
  );

  it("SIGINT during a foreground run being polled signals the remote run and exits with its code", async () => {
    const { vm } = await backgroundRun();
    // Its own session: the service signals a session's command in flight, and the default
    // session is busy with the background run.
    const cli = cliFor({ url: fake.url!, apiKey: fake.apiKey }, home);
    const session = (await cli(["sessions", "create", vm])).text.trim();
    const result = await interrupted(
      ["run", vm, "--session", session, "--", "forever", vm],
      /\/runs\/run_\w+$/,
      "SIGINT",
    );
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toMatch(/^arker: run run_\w+ failed: signal$/m);
    const runs = fake.vms.find((one) => one.vm_id === vm)?.runs ?? [];
    // The newest run is the interrupted one; the background run of the setup goes on.
    expect(runs[0]).toMatchObject({ state: "failed", exit_code: 130, fail_reason: "signal" });
    expect(runs[1]?.state).toBe("running");
  }, 40_000);

  it("SIGTERM during a foreground run still held by the service sends SIGTERM there and exits 143", async () => {
    const realTime = await createFakeArker({ listen: true, python: false, clock: "real" });
    try {
      const cli = cliFor({ url: realTime.url!, apiKey: realTime.apiKey }, home);
      const vm = (await cli(["fork", "ubuntu"])).text.trim();
      const started = Date.now();
      const child = spawn(process.execPath, [BIN, "run", vm, "--", "sleep", "20"], {
        env: {
          PATH: process.env.PATH,
          HOME: home,
          ARKER_BASE_URL: realTime.url,
          ARKER_API_KEY: realTime.apiKey,
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
      // Once the run is in flight in the fake, send SIGTERM.
      const poll = setInterval(() => {
        const runs = realTime.vms.find((one) => one.vm_id === vm)?.runs ?? [];
        if (runs[0]?.state === "running") {
          clearInterval(poll);
          child.kill("SIGTERM");
        }
      }, 20);
      const guard = setTimeout(() => child.kill("SIGKILL"), 30_000);
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      clearInterval(poll);
      clearTimeout(guard);
      expect(code, stderr).toBe(143);
      expect(Date.now() - started).toBeLessThan(15_000);
      const runs = realTime.vms.find((one) => one.vm_id === vm)?.runs ?? [];
      expect(runs[0]).toMatchObject({ state: "failed", exit_code: 143, fail_reason: "signal" });
    } finally {
      await realTime.close();
    }
  }, 40_000);
});

describe("handleInterrupts", () => {
  function source() {
    const listeners = new Map<InterruptSignal, () => void>();
    const exits: number[] = [];
    const fakeProcess: SignalSource = {
      on: (event, listener) => listeners.set(event, listener),
      exit: ((code: number) => {
        exits.push(code);
      }) as SignalSource["exit"],
    };
    let written = "";
    const stderr = new Writable({
      write(chunk, _encoding, done) {
        written += chunk;
        done();
      },
    });
    return { listeners, exits, fakeProcess, stderr, written: () => written };
  }

  it("the first signal restores a terminal and aborts; the second exits at once", () => {
    const s = source();
    const interrupts = handleInterrupts(s.fakeProcess, s.stderr, true);
    expect(interrupts.signal.aborted).toBe(false);
    expect(interrupts.exitCode(3)).toBe(3);
    s.listeners.get("SIGINT")?.();
    expect(interrupts.signal.aborted).toBe(true);
    expect(interrupts.received()).toBe("SIGINT");
    expect(s.written()).toBe(RESTORE_TERMINAL);
    expect(s.exits).toEqual([]);
    expect(interrupts.exitCode(1)).toBe(130);
    expect(interrupts.exitCode(0)).toBe(0);
    s.listeners.get("SIGINT")?.();
    expect(s.exits).toEqual([130]);
  });

  it("exits with the signal's code once the grace period passes, not before", () => {
    vi.useFakeTimers();
    try {
      for (const graceMs of [undefined, 60_000]) {
        const s = source();
        handleInterrupts(s.fakeProcess, s.stderr, false, graceMs);
        s.listeners.get("SIGTERM")?.();
        vi.advanceTimersByTime((graceMs ?? 3_000) - 1);
        expect(s.exits, String(graceMs)).toEqual([]);
        vi.advanceTimersByTime(1);
        expect(s.exits, String(graceMs)).toEqual([143]);
      }
    } finally {
      vi.useRealTimers();
    }
  });

  it("takes ARKER_INTERRUPT_GRACE_MS when it is a positive whole number of ms", () => {
    expect(interruptGraceMs({ ARKER_INTERRUPT_GRACE_MS: "60000" })).toBe(60_000);
    expect(interruptGraceMs({ ARKER_INTERRUPT_GRACE_MS: "1" })).toBe(1);
    for (const given of [undefined, "", "0", "-5", "1.5", "soon", "1e400"]) {
      expect(interruptGraceMs({ ARKER_INTERRUPT_GRACE_MS: given }), String(given)).toBe(3_000);
    }
  });

  it("writes no escape codes when stderr is not a terminal; SIGTERM maps to 143", () => {
    const s = source();
    const interrupts = handleInterrupts(s.fakeProcess, s.stderr, false);
    s.listeners.get("SIGTERM")?.();
    expect(s.written()).toBe("");
    expect(interrupts.exitCode(1)).toBe(143);
  });
});
