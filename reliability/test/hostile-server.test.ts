import { randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { ArkerClient, ArkerError, DEFAULT_MAX_RESPONSE_BYTES } from "@arker-ai/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SOAK } from "./lib/connect";
import { createFigures, saveFigures } from "./lib/figures";
import { type HostileServer, startHostileServer } from "./lib/hostile-process";
import { measureRss, mib } from "./lib/memory";
import { findSecret } from "./lib/secrets";
import { type CapturingLogger, capturingLogger } from "./lib/trace";

const KEY = `ark_live_${randomBytes(16).toString("hex")}`;
const TOKEN = `tok_${randomBytes(16).toString("hex")}`;
const SIGNATURE = randomBytes(32).toString("hex");
/** How many times the endless body is served: RSS must not grow from one to the next. */
const ENDLESS_ROUNDS = SOAK ? 8 : 2;
/** The slow body's total deadline and its drip interval (per-attempt timeout below both). */
const DEADLINE_MS = 1_000;
const DRIP_MS = 50;
const ATTEMPT_TIMEOUT_MS = 300;

const figures = createFigures(
  "hostile-server",
  "The SDK's transport against a server in another process that answers in bad faith: redirects and every 3xx (JSON calls and signed URLs), endless 2xx and error bodies, a 1 GiB `Content-Length`, a body dripping one byte per 50 ms, non-JSON 2xx and error answers echoing the `Authorization` header and the signed URL, and bad headers (garbage `Retry-After`, 64 KiB headers, a key in `x-request-id`, no or broken `Content-Type`/`Content-Length`). Nothing is followed, memory stays bounded by `maxResponseBytes`, every failure is a well-formed `ArkerError` with no secret in it, and no connection is left open.",
);
afterAll(() => saveFigures(figures));

describe("hostile-server", () => {
  let server: HostileServer;
  let client: ArkerClient;
  let trace: CapturingLogger;
  const failures: ArkerError[] = [];

  beforeAll(async () => {
    server = await startHostileServer();
    trace = capturingLogger();
    client = new ArkerClient({
      apiKey: KEY,
      baseUrl: server.url,
      retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 50 },
      logLevel: "debug",
      logger: trace,
    });
  });
  afterAll(async () => {
    await client.close();
    await server.stop();
  });

  /** One call that must fail; returns its ArkerError (anything else fails the test). */
  async function failing(work: () => Promise<unknown>): Promise<ArkerError> {
    figures.operations++;
    figures.inputsTried++;
    try {
      await work();
    } catch (error) {
      if (!ArkerError.is(error)) throw error;
      failures.push(error);
      return error;
    }
    throw new Error("expected the call to fail");
  }
  const get = (mode: string, options: { signal?: AbortSignal; timeoutMs?: number } = {}) =>
    client.request({ method: "GET", path: `/v1/hostile/${mode}`, ...options });

  it("redirects and every 3xx: internal with the status, not retried, never followed", async () => {
    const statuses = [300, 301, 302, 303, 304, 305, 307, 308];
    for (const status of statuses) {
      const error = await failing(() => get(`redirect/${status}`));
      expect([error.code, error.status, error.retryable]).toEqual(["internal", status, false]);
    }
    const blob = `${server.url}/v1/hostile/blob-redirect/${TOKEN}`;
    for (const spec of [
      { method: "GET" as const, url: blob, expectedBytes: 1 },
      { method: "PUT" as const, url: blob, body: new Uint8Array(1) },
    ]) {
      const error = await failing(() => client.transfer(spec));
      expect([error.code, error.status]).toEqual(["internal", 307]);
    }
    const { trapHits } = await server.stats();
    expect(trapHits).toBe(0);
    figures.notes["3xx answers (JSON calls and signed URLs)"] =
      `${statuses.length + 2}, each \`internal\` with its status; redirects followed: ${trapHits}`;
  });

  it(`endless 2xx and error bodies: cut at maxResponseBytes (${mib(DEFAULT_MAX_RESPONSE_BYTES)}), client RSS bounded`, async () => {
    const growth: number[] = [];
    const times: number[] = [];
    for (let round = 0; round < ENDLESS_ROUNDS; round++) {
      for (const mode of ["endless", "endless-error"]) {
        const measured = await measureRss(() => failing(() => get(mode)));
        if ("error" in measured.outcome) throw measured.outcome.error;
        const error = measured.outcome.value;
        expect([error.code, error.retryable]).toEqual(["internal", false]);
        expect(error.message).toContain(`${DEFAULT_MAX_RESPONSE_BYTES} bytes (maxResponseBytes)`);
        growth.push(measured.peakGrowthBytes);
        times.push(measured.ms);
      }
    }
    const peak = Math.max(...growth);
    // The cap's chunks, plus undici's and the socket's buffers: never the server's gigabytes.
    expect(peak).toBeLessThan(2 * DEFAULT_MAX_RESPONSE_BYTES);
    const { sentBytes } = await server.stats();
    const sent = Object.values(sentBytes).reduce((a, b) => a + b, 0) / growth.length;
    figures.notes["endless body: client RSS growth (peak of rounds)"] =
      `${mib(peak)} over ${growth.length} calls (cap ${mib(DEFAULT_MAX_RESPONSE_BYTES)}; the server never ends the body)`;
    figures.notes["endless body: time to fail"] =
      `${Math.round(Math.min(...times))}–${Math.round(Math.max(...times))} ms; the server wrote ${mib(sent)} per call before the client hung up`;
  });

  it("a 1 GiB Content-Length fails before the body is read", async () => {
    const measured = await measureRss(() => failing(() => get("oversized")));
    if ("error" in measured.outcome) throw measured.outcome.error;
    expect(measured.outcome.value.message).toContain(`${2 ** 30} bytes (Content-Length)`);
    figures.notes["1 GiB Content-Length: time to fail"] =
      `${Math.round(measured.ms)} ms, client RSS growth ${mib(measured.peakGrowthBytes)}`;
  });

  it(`a body dripping a byte every ${DRIP_MS} ms outlives a ${ATTEMPT_TIMEOUT_MS} ms per-attempt timeout; AbortSignal.timeout(${DEADLINE_MS}) ends it`, async () => {
    const started = performance.now();
    const error = await failing(() =>
      get(`slow/${DRIP_MS}`, {
        timeoutMs: ATTEMPT_TIMEOUT_MS,
        signal: AbortSignal.timeout(DEADLINE_MS),
      }),
    );
    const ms = performance.now() - started;
    expect([error.code, error.retryable]).toEqual(["aborted", false]);
    expect(ms).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
    figures.notes["slow body (1 byte / 50 ms), timeoutMs 300"] =
      `never timed out per attempt; \`AbortSignal.timeout(${DEADLINE_MS})\` ended the call after ${Math.round(ms)} ms with \`aborted\``;
  });

  it("non-JSON 2xx and error answers echoing the key or the signed URL leak nothing", async () => {
    const cases: Array<[string, () => Promise<unknown>]> = [
      ["2xx text echo", () => get("echo")],
      ["4xx text echo across the 300-character cut", () => get("echo-error")],
      ["4xx JSON echo", () => get("echo-json-error")],
      ["x-request-id echo", () => get("request-id-echo")],
      [
        "signed-URL 403 echoing its URL",
        () =>
          client.transfer({
            method: "GET",
            url: `${server.url}/v1/hostile/blob-echo/${TOKEN}?X-Amz-Signature=${SIGNATURE}`,
            expectedBytes: 1,
          }),
      ],
    ];
    let found = 0;
    for (const [label, call] of cases) {
      const error = await failing(call);
      const texts = [error.message, JSON.stringify(error), inspect(error, { depth: 8 })];
      const secret = findSecret(texts.join("\n"), [KEY, TOKEN, SIGNATURE]);
      if (secret) {
        found++;
        console.error(`${label}: secret in the error`);
      }
    }
    const traced = findSecret(trace.lines.join("\n"), [KEY, TOKEN, SIGNATURE]) ? 1 : 0;
    figures.leaks += found + traced;
    expect([found, traced]).toEqual([0, 0]);
    figures.notes["echoed secrets"] =
      `${cases.length} echoing answers; key or token in errors (message, JSON, inspected causes): ${found}; in ${trace.lines.length} trace lines: ${traced}`;
  });

  it("bad headers are handled cleanly", async () => {
    const retryAfters = ["soon", "-5", "1e400", "99999999999", "Thu, 01 Jan 1970 00:00:00 GMT"];
    for (const value of retryAfters) {
      figures.operations++;
      figures.inputsTried++;
      const started = performance.now();
      const { data, attempts } = await client.request<{ ok: boolean }>({
        method: "GET",
        path: `/v1/hostile/retry-after/${encodeURIComponent(value)}`,
      });
      expect([data.ok, attempts]).toEqual([true, 2]);
      expect(performance.now() - started).toBeLessThan(2_000);
    }
    figures.operations++;
    figures.inputsTried++;
    const { data } = await client.request<{ ok: boolean }>({
      method: "GET",
      path: "/v1/hostile/no-content-type",
    });
    expect(data.ok).toBe(true);
    const outcomes: string[] = [];
    const expected: Array<[string, string, boolean]> = [
      ["huge-header", "internal", false],
      ["bad-content-length", "internal", false],
      ["no-content", "internal", false],
      // A truncated answer looks like a dropped connection: retried, then network_error.
      ["short-body", "network_error", true],
    ];
    for (const [mode, code, retryable] of expected) {
      const error = await failing(() => get(mode));
      expect([mode, error.code, error.retryable]).toEqual([mode, code, retryable]);
      outcomes.push(`${mode} → \`${error.message.slice(0, 70)}…\``);
    }
    figures.notes["bad headers"] =
      `garbage Retry-After (${retryAfters.length} forms): retried once within maxDelayMs, then read; no Content-Type: read; ${outcomes.join("; ")}`;
  });

  it("every failure is a well-formed ArkerError, and no connection is left open", async () => {
    for (const error of failures) {
      expect(typeof error.code).toBe("string");
      expect(error.message.startsWith(`${error.code}: `)).toBe(true);
      expect(Number.isInteger(error.status)).toBe(true);
    }
    await client.close();
    let stats = await server.stats();
    for (let tries = 0; stats.openSockets > 0 && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      stats = await server.stats();
    }
    figures.requests = stats.requests;
    figures.retries = trace.retries;
    figures.leaks += stats.openSockets;
    expect(stats.openSockets).toBe(0);
    figures.notes["connections left open after close()"] = stats.openSockets;
  });
});
