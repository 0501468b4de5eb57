import { childScript, startServer } from "../lib/child.js";
import type { BenchContext } from "../lib/context.js";
import { loadSdk } from "../lib/packages.js";
import { atMost, notRun, type RowResult } from "../lib/result.js";
import { pairedRounds } from "../lib/rounds.js";
import { median } from "../lib/stats.js";
import { alternateCalls } from "../lib/timing.js";

/**
 * Row 8: `vm.exec("true")` against `vm.run("true")`, sequential latency through the SDK
 * to a listening fake in its own process, the two alternating call by call.
 *
 * @module
 */

const GOAL = 1.1;
const ID = "exec-latency";
const TITLE = 'exec: vm.exec("true") vs vm.run("true") latency, sequential';

/** Measures exec against run. */
export async function runExecLatency(context: BenchContext): Promise<RowResult[]> {
  const sdk = await loadSdk();
  if (!sdk.ok) return [notRun(8, ID, TITLE, `ratio ≤ ${GOAL}`, "skipped", sdk.reason)];
  const server = await startServer<{ url: string; apiKey: string }>(childScript("fake-server.ts"));
  const arker = new sdk.module.Arker({ apiKey: server.info.apiKey, baseUrl: server.info.url });
  try {
    const vm = await arker.fork("ubuntu");
    if (typeof (vm as { exec?: unknown }).exec !== "function") {
      return [notRun(8, ID, TITLE, `ratio ≤ ${GOAL}`, "skipped", "vm.exec has not landed")];
    }
    const exec = () => vm.exec("true");
    const run = () => vm.run("true");
    const checked = await exec();
    if (checked.exitCode !== 0) throw new Error(`exec("true") answered ${JSON.stringify(checked)}`);
    const calls = context.pick(400, 50);
    const rounds = context.pick(7, 3);
    context.log(`row 8: exec vs run, ${rounds} rounds × ${calls} calls per side, alternating`);
    const result = await pairedRounds(
      async () => {
        const [viaRun, viaExec] = await alternateCalls([run, exec], calls);
        return { baseline: median(viaRun!), subject: median(viaExec!) };
      },
      { warmupRounds: 1, rounds },
    );
    return [
      {
        row: 8,
        id: ID,
        title: TITLE,
        baseline: { label: 'vm.run("true")', value: result.medianBaseline, unit: "ms" },
        subject: { label: 'vm.exec("true")', value: result.medianSubject, unit: "ms" },
        ratio: result.medianRatio,
        goal: `ratio ≤ ${GOAL}`,
        ...atMost(result.medianRatio, GOAL),
        status: "measured",
        note: `median per-call latency of ${calls} sequential calls per side and round, run and exec alternating call by call, ${rounds} rounds; fake server in its own process`,
        details: { ratios: result.ratios, runMs: result.baseline, execMs: result.subject },
      },
    ];
  } finally {
    await arker.close();
    await server.stop();
  }
}
