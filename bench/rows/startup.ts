import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { BENCH_DIR } from "../lib/child.js";
import type { BenchContext } from "../lib/context.js";
import { compare, interleaveMany } from "../lib/interleave.js";
import { loadSdk } from "../lib/packages.js";
import { timeNodeProcess } from "../lib/process-timing.js";
import { notRun, type RowResult } from "../lib/result.js";

/**
 * Row 5a: start-up cost. Cold `import("@arker-ai/sdk")`, cold import of core + vm, and
 * `arker --help`, each a fresh node process, against `node -e 0`; all four interleaved,
 * per-round ratios, median reported. Start-up has no goal of its own in the issue: the
 * figures are reported so regressions show.
 *
 * @module
 */

const CLI_BIN = fileURLToPath(new URL("../../packages/cli/dist/bin.js", import.meta.url));

interface Contender {
  id: string;
  title: string;
  label: string;
  args: string[];
  /** Why it cannot run yet, when it cannot. */
  blocked: Promise<string | null>;
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
    },
    {
      id: "startup-core-vm",
      title: "Start-up: cold import of core + vm",
      label: "node -e 'await import core, vm'",
      args: esmEval('await Promise.all([import("@arker-ai/core"), import("@arker-ai/vm")]);'),
      blocked: import("@arker-ai/vm").then((module: Record<string, unknown>) =>
        typeof module.VmClient === "function" ? null : "@arker-ai/vm has not landed yet",
      ),
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
    else results.push(notRun(5, contender.id, contender.title, null, "skipped", reason));
  }
  if (runnable.length === 0) return results;

  const rounds = context.pick(30, 5);
  context.log(`row 5: start-up, ${rounds} interleaved rounds of ${runnable.length + 1} processes`);
  const [baseline, ...subjects] = await interleaveMany(
    [["-e", "0"], ...runnable.map((contender) => contender.args)].map(
      (args) => () => timeNodeProcess(args, BENCH_DIR),
    ),
    { warmupRounds: 3, rounds },
  );
  runnable.forEach((contender, index) => {
    const summary = compare(baseline!, subjects[index]!);
    results.push({
      row: 5,
      id: contender.id,
      title: contender.title,
      baseline: { label: "node -e 0", value: summary.medianBaseline, unit: "ms" },
      subject: { label: contender.label, value: summary.medianSubject, unit: "ms" },
      ratio: summary.medianRatio,
      goal: null,
      pass: null,
      margin: null,
      status: "measured",
      note: "wall time of a fresh process, spawn to exit; reported, no goal set",
      details: { ratios: summary.ratios },
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
