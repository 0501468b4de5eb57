import { BENCH_DIR, childScript, startServer } from "../lib/child.js";
import type { BenchContext } from "../lib/context.js";
import { compare, interleaveMany } from "../lib/interleave.js";
import { loadSdk } from "../lib/packages.js";
import { timedSides, timeNodeProcess } from "../lib/process-timing.js";
import { atMost, fmt, notRun, type RowResult } from "../lib/result.js";

/**
 * Row 5b: start-up with a first call, so that a lazy load is seen to move the cost, not
 * to grow it. A fresh process imports the umbrella and sends one `vm.run("true")` to a
 * listening fake (its own process), spawn to exit. Baseline: the same process with
 * undici imported first — the SDK as it loaded before undici became lazy (undici
 * evaluated ahead of the SDK's own modules), with the code of today in every other way.
 *
 * @module
 */

const GOAL = 1.05;
const ID = "startup-first-call";
const TITLE = 'Start-up: cold import + first vm.run("true") vs undici loaded at import';

/** Measures cold import + first call, lazy undici against undici imported up front. */
export async function runStartupFirstCall(context: BenchContext): Promise<RowResult[]> {
  const sdk = await loadSdk();
  if (!sdk.ok) return [notRun(5, ID, TITLE, `ratio ≤ ${GOAL}`, "skipped", sdk.reason)];
  const server = await startServer<{ url: string; apiKey: string }>(childScript("fake-server.ts"));
  const arker = new sdk.module.Arker({ apiKey: server.info.apiKey, baseUrl: server.info.url });
  try {
    const vm = await arker.fork("ubuntu");
    const env = {
      ...process.env,
      BENCH_API_KEY: server.info.apiKey,
      BENCH_URL: server.info.url,
      BENCH_VM: vm.id,
    };
    const firstCall = [
      'const { Arker } = await import("@arker-ai/sdk");',
      "const arker = new Arker({ apiKey: process.env.BENCH_API_KEY, baseUrl: process.env.BENCH_URL });",
      'const run = await arker.vm(process.env.BENCH_VM).run("true");',
      'if (run.type !== "completed") throw new Error(JSON.stringify(run));',
      "await arker.close();",
    ].join(" ");
    const eager = `await import("undici"); ${firstCall}`;
    const rounds = context.pick(20, 5);
    context.log(`row 5: cold import + first call, ${rounds} interleaved rounds`);
    const timed = timedSides(
      [eager, firstCall].map(
        (source) => () => timeNodeProcess(["--input-type=module", "-e", source], BENCH_DIR, env),
      ),
    );
    const [baseline, subject] = await interleaveMany(timed.sides, { warmupRounds: 3, rounds });
    const summary = compare(baseline!, subject!);
    const cpu = compare(timed.cpuMs[0]!, timed.cpuMs[1]!);
    return [
      {
        row: 5,
        id: ID,
        title: TITLE,
        baseline: {
          label: "undici imported first, then the SDK, one call",
          value: summary.medianBaseline,
          unit: "ms",
        },
        subject: {
          label: "the SDK (undici lazy), one call",
          value: summary.medianSubject,
          unit: "ms",
        },
        ratio: summary.medianRatio,
        goal: `ratio ≤ ${GOAL}`,
        ...atMost(summary.medianRatio, GOAL),
        status: "measured",
        note:
          `wall time of a fresh process, spawn to exit, ${rounds} interleaved rounds; the call reaches a listening fake in its own process over a fresh connection. ` +
          `The process's own CPU time: ${fmt(cpu.medianSubject)} ms vs ${fmt(cpu.medianBaseline)} ms, ${fmt(cpu.medianRatio)}×`,
        details: {
          ratios: summary.ratios,
          baselineMs: baseline,
          subjectMs: subject,
          cpuRatios: cpu.ratios,
          cpuMedianRatio: cpu.medianRatio,
        },
      },
    ];
  } finally {
    await arker.close();
    await server.stop();
  }
}
