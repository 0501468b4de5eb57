import { randomUUID } from "node:crypto";
import { Pool, request } from "undici";
import { captureRunRequest } from "../lib/capture-run.js";
import { childScript, startServer } from "../lib/child.js";
import type { BenchContext } from "../lib/context.js";
import { compare } from "../lib/interleave.js";
import { loadSdk, loadTesting } from "../lib/packages.js";
import { atLeast, atMost, notRun, type RowResult } from "../lib/result.js";
import { pairedRounds } from "../lib/rounds.js";
import { median } from "../lib/stats.js";
import { alternateBatches, alternateCalls, type Call } from "../lib/timing.js";

/**
 * Row 1: what the SDK adds on top of the network. `vm.run("true")` through the SDK
 * against a listening fake (in its own process) vs the very request the SDK sends —
 * captured from the SDK itself, with a fresh `Idempotency-Key` per call — sent with raw
 * `undici.request` over a keep-alive `Pool` to the same server, body parsed as JSON.
 *
 * @module
 */

const LATENCY_GOAL = 1.15;
const THROUGHPUT_GOAL = 0.9;
const CONCURRENCY = 64;

/** Measures sequential latency and 64-way throughput, SDK vs raw undici. */
export async function runSdkOverhead(context: BenchContext): Promise<RowResult[]> {
  const latencyTitle = 'SDK overhead: vm.run("true") latency, sequential';
  const throughputTitle = `SDK overhead: vm.run("true") throughput, ${CONCURRENCY} concurrent`;
  const sdk = await loadSdk();
  const testing = await loadTesting();
  if (!sdk.ok || !testing.ok) {
    const reason = sdk.ok ? (testing.ok ? "" : testing.reason) : sdk.reason;
    return [
      notRun(1, "sdk-latency", latencyTitle, `ratio ≤ ${LATENCY_GOAL}`, "skipped", reason),
      notRun(1, "sdk-throughput", throughputTitle, `ratio ≥ ${THROUGHPUT_GOAL}`, "skipped", reason),
    ];
  }

  const server = await startServer<{ url: string; apiKey: string }>(childScript("fake-server.ts"));
  const { url, apiKey } = server.info;
  // The SDK as users get it: its own keep-alive Agent (64 connections by default).
  const arker = new sdk.module.Arker({ apiKey, baseUrl: url });
  const pool = new Pool(new URL(url).origin, { connections: CONCURRENCY });
  try {
    // One VM per concurrent caller, so that the fake's per-session queue is not the limit.
    const parent = await arker.fork("ubuntu");
    const vms = [
      parent,
      ...(await Promise.all(Array.from({ length: CONCURRENCY - 1 }, () => parent.fork()))),
    ];
    const wire = await captureRunRequest(sdk.module, { apiKey, baseUrl: url }, parent.id);
    const { "idempotency-key": _key, ...headers } = wire.headers;
    const origin = new URL(url).origin;
    const rawUrls = vms.map((vm) => `${origin}${wire.path.replace(parent.id, vm.id)}`);

    const sdkCall: Call = (index) => vms[index % vms.length]!.run("true");
    const rawCall: Call = async (index) => {
      const response = await request(rawUrls[index % rawUrls.length]!, {
        dispatcher: pool,
        method: "POST",
        headers: { ...headers, "idempotency-key": randomUUID() },
        body: wire.body,
      });
      return response.body.json();
    };
    await sanityCheck(rawCall, sdkCall);

    const latencyCalls = context.pick(400, 50);
    const rounds = context.pick(7, 3);
    context.log(
      `row 1: latency, ${rounds} rounds × ${latencyCalls} calls per side, alternating call by call`,
    );
    // Sequential calls all go to the first VM.
    const latency = await pairedRounds(
      async () => {
        const [raw, viaSdk] = await alternateCalls(
          [() => rawCall(0), () => sdkCall(0)],
          latencyCalls,
        );
        return { baseline: median(raw!), subject: median(viaSdk!) };
      },
      { warmupRounds: 1, rounds },
    );

    const batch = CONCURRENCY * 3;
    const alternations = context.pick(12, 2);
    const throughputRounds = context.pick(11, 3);
    context.log(
      `row 1: throughput, ${throughputRounds} rounds × ${alternations} alternating batches of ${batch} calls at ${CONCURRENCY} concurrent`,
    );
    const rawCpu: number[] = [];
    const sdkCpu: number[] = [];
    const throughput = await pairedRounds(
      async (round) => {
        const [raw, viaSdk] = await alternateBatches(
          [rawCall, sdkCall],
          batch,
          CONCURRENCY,
          alternations,
        );
        if (round >= 0) {
          rawCpu.push(raw!.cpuMicros / raw!.calls);
          sdkCpu.push(viaSdk!.cpuMicros / viaSdk!.calls);
        }
        return {
          baseline: (raw!.calls * 1000) / raw!.ms,
          subject: (viaSdk!.calls * 1000) / viaSdk!.ms,
        };
      },
      { warmupRounds: 1, rounds: throughputRounds },
    );
    const cpu = compare(rawCpu, sdkCpu);

    const latencyVerdict = atMost(latency.medianRatio, LATENCY_GOAL);
    const throughputVerdict = atLeast(throughput.medianRatio, THROUGHPUT_GOAL);
    return [
      {
        row: 1,
        id: "sdk-latency",
        title: latencyTitle,
        baseline: {
          label: "raw undici.request, keep-alive Pool",
          value: latency.medianBaseline,
          unit: "ms",
        },
        subject: { label: "SDK vm.run", value: latency.medianSubject, unit: "ms" },
        ratio: latency.medianRatio,
        goal: `ratio ≤ ${LATENCY_GOAL}`,
        ...latencyVerdict,
        status: "measured",
        note: `median per-call latency of ${latencyCalls} sequential calls per side and round, raw and SDK alternating call by call, ${rounds} rounds; fake server in its own process`,
        details: {
          ratios: latency.ratios,
          baselineMs: latency.baseline,
          subjectMs: latency.subject,
        },
      },
      {
        row: 1,
        id: "sdk-throughput",
        title: throughputTitle,
        baseline: {
          label: "raw undici.request, keep-alive Pool",
          value: throughput.medianBaseline,
          unit: "calls/s",
        },
        subject: { label: "SDK vm.run", value: throughput.medianSubject, unit: "calls/s" },
        ratio: throughput.medianRatio,
        goal: `ratio ≥ ${THROUGHPUT_GOAL}`,
        ...throughputVerdict,
        status: "measured",
        note:
          `${alternations} alternating batches of ${batch} calls per side and round over ${CONCURRENCY} VMs, ${throughputRounds} rounds. Client CPU per call: ` +
          `raw ${cpu.medianBaseline.toFixed(0)} µs, SDK ${cpu.medianSubject.toFixed(0)} µs ` +
          `(${cpu.medianRatio.toFixed(2)}×) — the server process is the bottleneck on 2 cores, so the ` +
          "CPU ratio is the better view of the SDK's own cost",
        details: {
          ratios: throughput.ratios,
          clientCpuMicrosPerCall: {
            baseline: rawCpu,
            subject: sdkCpu,
            medianRatio: cpu.medianRatio,
          },
        },
      },
    ];
  } finally {
    await arker.close();
    await pool.close();
    await server.stop();
  }
}

/** Both sides must get a completed run back; otherwise the comparison is meaningless. */
async function sanityCheck(rawCall: Call, sdkCall: Call): Promise<void> {
  const raw = (await rawCall(0)) as { state?: unknown; stdout?: unknown };
  const viaSdk = (await sdkCall(0)) as { type?: unknown };
  if (raw.state !== "completed" || typeof raw.stdout !== "string" || viaSdk.type !== "completed") {
    throw new Error(
      `run did not complete: raw ${JSON.stringify(raw)}, sdk ${JSON.stringify(viaSdk)}`,
    );
  }
}
