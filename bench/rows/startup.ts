import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { BENCH_DIR } from "../lib/child.js";
import type { BenchContext } from "../lib/context.js";
import { compare, interleaveMany } from "../lib/interleave.js";
import { loadSdk } from "../lib/packages.js";
import { timedSides, timeNodeProcess } from "../lib/process-timing.js";
import { atMost, fmt, notRun, type RowResult } from "../lib/result.js";

/**
 * Row 5a: start-up cost. Cold `import("@arker-ai/sdk")`, cold import of core + vm, and
 * `arker --help`, each a fresh node process, against `node -e 0`; all four interleaved,
 * per-round ratios, median reported. Goal (issue 16): both cold imports within 1.3× of
 * `node -e 0`; undici and `arker --help` are reported.
 *
 * @module
 */

const CLI_BIN = fileURLToPath(new URL("../../packages/cli/dist/bin.js", import.meta.url));

/** The most a cold import of the SDK may take, as a multiple of `node -e 0` (issue 16). */
const IMPORT_GOAL = 1.3;

interface Contender {
  id: string;
  title: string;
  label: string;
  args: string[];
  /** Why it cannot run yet, when it cannot. */
  blocked: Promise<string | null>;
  /** The ratio it must stay within, if any. */
  goal?: number;
}

/** Measures the start-up rows. */
export async function runStartup(context: BenchContext): Promise<RowResult[]> {
  const esmEval = (source: string) => ["--input-type=module", "-e", source];
  const contenders: Contender[] = [
    {
      id: "startup-sdk",
      title: 'Start-up: cold import("@arker-ai/sdk")',
      label: "node -e 'await import(\"@arker-ai/sdk\")'",
      args: esmEval('await import("@arker-ai/sdk");'),
      blocked: loadSdk().then((loaded) => (loaded.ok ? null : loaded.reason)),
      goal: IMPORT_GOAL,
    },
    {
      id: "startup-core-vm",
      title: "Start-up: cold import of core + vm",
      label: "node -e 'await import core, vm'",
      args: esmEval('await Promise.all([import("@arker-ai/core"), import("@arker-ai/vm")]);'),
      blocked: import("@arker-ai/vm").then((module: Record<string, unknown>) =>
        typeof module.VmClient === "function" ? null : "@arker-ai/vm has not landed yet",
      ),
      goal: IMPORT_GOAL,
    },
    {
      id: "startup-undici",
      title: "Start-up: cold import of undici alone (reference)",
      label: "node -e 'await import(\"undici\")'",
      args: esmEval('await import("undici");'),
      blocked: Promise.resolve(null),
    },
    {
      id: "startup-cli-help",
      title: "Start-up: arker --help",
      label: "node packages/cli/dist/bin.js --help",
      args: [CLI_BIN, "--help"],
      blocked: Promise.resolve(cliBlocked()),
    },
  ];
  const results: RowResult[] = [];
  const runnable: Contender[] = [];
  for (const contender of contenders) {
    const reason = await contender.blocked.catch((error: Error) => error.message);
    if (reason === null) runnable.push(contender);
    else {
      const goal = contender.goal === undefined ? null : `ratio ≤ ${contender.goal}`;
      results.push(notRun(5, contender.id, contender.title, goal, "skipped", reason));
    }
  }
  if (runnable.length === 0) return results;

  const rounds = context.pick(30, 5);
  context.log(`row 5: start-up, ${rounds} interleaved rounds of ${runnable.length + 1} processes`);
  const timed = timedSides(
    [["-e", "0"], ...runnable.map((contender) => contender.args)].map(
      (args) => () => timeNodeProcess(args, BENCH_DIR),
    ),
  );
  const [baseline, ...subjects] = await interleaveMany(timed.sides, { warmupRounds: 3, rounds });
  const [baselineCpu, ...subjectCpus] = timed.cpuMs;
  runnable.forEach((contender, index) => {
    const summary = compare(baseline!, subjects[index]!);
    const cpu = compare(baselineCpu!, subjectCpus[index]!);
    const goal = contender.goal;
    results.push({
      row: 5,
      id: contender.id,
      title: contender.title,
      baseline: { label: "node -e 0", value: summary.medianBaseline, unit: "ms" },
      subject: { label: contender.label, value: summary.medianSubject, unit: "ms" },
      ratio: summary.medianRatio,
      ...(goal === undefined
        ? { goal: null, pass: null, margin: null }
        : { goal: `ratio ≤ ${goal}`, ...atMost(summary.medianRatio, goal) }),
      status: "measured",
      note:
        `wall time of a fresh process, spawn to exit${goal === undefined ? "; reported, no goal set" : ""}. ` +
        `The process's own CPU time: ${fmt(cpu.medianSubject)} ms vs ${fmt(cpu.medianBaseline)} ms, ${fmt(cpu.medianRatio)}× (less disturbed by other work on the machine)`,
      details: { ratios: summary.ratios, cpuRatios: cpu.ratios, cpuMedianRatio: cpu.medianRatio },
    });
  });
  const order = contenders.map((contender) => contender.id);
  return results.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
}

/** Why `arker --help` cannot be timed yet: not built, or the placeholder that prints nothing. */
function cliBlocked(): string | null {
  if (!existsSync(CLI_BIN)) return `${CLI_BIN} is not built`;
  const help = spawnSync(process.execPath, [CLI_BIN, "--help"], { encoding: "utf8" });
  if (help.status !== 0 || help.stdout.trim() === "") {
    return "@arker-ai/cli has not landed yet (`arker --help` prints nothing or fails)";
  }
  return null;
}
