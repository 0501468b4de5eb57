import type { Arker, Pty } from "@arker-ai/sdk";
import { ArkerError } from "@arker-ai/sdk";
import type { FakeArker } from "@arker-ai/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { arkerFor, startFake, watchUnhandledRejections } from "./lib/connect";
import { bump, createFigures, saveFigures } from "./lib/figures";

const figures = createFigures(
  "pty-faults",
  "The PTY route (a session's terminal over a WebSocket) under the fake's faults: 503, 429 with `Retry-After`, latency and connection resets on the upgrade, a key that fails and a session that does not exist; then a connection cut by the client while a persistent shell keeps its state for the next connection. Every attempt ends as an open terminal or a well-formed `ArkerError`, nothing hangs, and no rejection goes unhandled.",
);
afterAll(() => saveFigures(figures));

const PTY_PATH = "/v1/vms/*/sessions/*/pty";
const decoder = new TextDecoder();

/** Reads a terminal until `text` shows; fails after 3 s (nothing may hang). */
async function readUntil(pty: Pty, text: string): Promise<string> {
  let output = "";
  const chunks = pty[Symbol.asyncIterator]();
  const deadline = Date.now() + 3000;
  for (;;) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), Math.max(0, deadline - Date.now()));
    });
    const next = await Promise.race([chunks.next(), timedOut]).finally(() => clearTimeout(timer));
    if (next === "timeout" || next.done === true) break;
    output += decoder.decode(next.value);
    if (output.includes(text)) return output;
  }
  throw new Error(`no ${JSON.stringify(text)} in ${JSON.stringify(output)}`);
}

describe("pty-faults", () => {
  let fake: FakeArker;
  let arker: Arker;
  let vmId: string;
  let sessionId: string;
  const rejections = watchUnhandledRejections();

  beforeAll(async () => {
    fake = await startFake({ listen: true, clock: "auto" });
    arker = arkerFor(fake);
    const vm = await arker.fork("ubuntu");
    vmId = vm.id;
    sessionId = (await vm.createSession()).session_id;
  });
  afterAll(async () => {
    rejections.stop();
    figures.requests = fake.requests.length;
    await arker.close();
    await fake.close();
  });

  it("each fault on the upgrade ends as an open terminal or a well-formed ArkerError", async () => {
    const cases = [
      {
        name: "503 twice",
        times: 2,
        effect: { type: "respond", status: 503, code: "unavailable" },
      },
      {
        name: "429 with Retry-After",
        times: 1,
        effect: { type: "respond", status: 429, code: "rate_limited", retryAfterSeconds: 0 },
      },
      { name: "latency 50 ms", times: 1, effect: { type: "latency", ms: 50 } },
      { name: "reset before, twice", times: 2, effect: { type: "reset-before" } },
      { name: "reset after, once", times: 1, effect: { type: "reset-after" } },
      { name: "reset before, always", times: undefined, effect: { type: "reset-before" } },
      {
        name: "500 internal",
        times: undefined,
        effect: { type: "respond", status: 500, code: "internal" },
      },
    ] as const;
    const outcomes: Record<string, string> = {};
    for (const fault of cases) {
      fake.faults.clear();
      fake.faults.add({
        path: PTY_PATH,
        ...(fault.times ? { times: fault.times } : {}),
        effect: fault.effect,
      });
      bump(
        figures.faults,
        fault.effect.type === "respond" ? String(fault.effect.status) : fault.effect.type,
      );
      figures.operations++;
      try {
        const pty = await arker.vm(vmId).pty({ sessionId, persist: true });
        await readUntil(pty, "$ ");
        pty.close();
        outcomes[fault.name] = "open";
      } catch (error) {
        expect(ArkerError.is(error), String(error)).toBe(true);
        outcomes[fault.name] = (error as ArkerError).code;
      }
    }
    fake.faults.clear();
    expect(outcomes).toEqual({
      "503 twice": "open",
      "429 with Retry-After": "open",
      "latency 50 ms": "open",
      "reset before, twice": "open",
      "reset after, once": "open",
      "reset before, always": "network_error",
      "500 internal": "internal",
    });
    figures.inputsTried += cases.length;
    figures.notes["outcomes (fault: result)"] = Object.entries(outcomes)
      .map(([name, outcome]) => `${name}: ${outcome}`)
      .join(", ");
  });

  it("a bad key, a missing session and a foreign org are refused, never opened", async () => {
    const wrongKey = arkerFor(fake, { apiKey: "ark_live_wrong_key_for_the_pty" });
    const other = fake.addOrg("pty-intruder");
    const intruder = arkerFor(fake, { apiKey: other.apiKey });
    try {
      const codes = [];
      for (const attempt of [
        () => wrongKey.vm(vmId).pty({ sessionId }),
        () => arker.vm(vmId).pty({ sessionId: "sess_missing" }),
        () => intruder.vm(vmId).pty({ sessionId }),
      ]) {
        figures.operations++;
        codes.push(
          await attempt().then(
            () => "opened",
            (error: unknown) => (ArkerError.is(error) ? error.code : String(error)),
          ),
        );
      }
      expect(codes).toEqual(["unauthorized", "not_found", "not_found"]);
    } finally {
      await wrongKey.close();
      await intruder.close();
    }
  });

  it("a persistent shell outlives its connection: the next one reattaches with its state", async () => {
    const first = await arker.vm(vmId).pty({ sessionId, persist: true });
    await readUntil(first, "$ ");
    first.write("cd /tmp && export MARK=kept\r");
    await readUntil(first, "/tmp$ ");
    first.close();
    await expect(first.exited).rejects.toMatchObject({ code: "aborted" });
    const second = await arker.vm(vmId).pty({ sessionId, persist: true });
    second.write("echo $MARK\r");
    await readUntil(second, "kept\r\n");
    second.write("exit 0\r");
    expect(await second.exited).toEqual({ exitCode: 0 });
    figures.operations += 2;
    expect(rejections.reasons).toEqual([]);
  });
});
