import { RUN_STATES } from "@arker-ai/core/contract";
import type { ListRunsOptions, RunDetails, RunSummary, WaitForRunOptions } from "@arker-ai/vm";
import { type Definition, defineCommand, defineGroup } from "../framework/define-command";
import { defineList } from "../framework/list-pages";
import { runDocument } from "../support/documents";
import { signalOf } from "../support/interrupt-signal";
import { formatKeyValues, formatTable, type Styles } from "../support/output";
import { choiceOption, integerOption } from "../support/parse-arguments";
import { withTimeout } from "../support/timeout";
import { VM_ARGUMENT } from "./arguments";
import { finishedRunView } from "./finished-run";

/** Timers past 2³¹−1 ms fire at once, so `--timeout` stays below. */
const MAX_TIMEOUT_SECONDS: number = Math.floor((2 ** 31 - 1) / 1000);

/** The flags of `runs wait`: the SDK's options plus the CLI's own `--timeout`. */
interface WaitOptions extends WaitForRunOptions {
  timeoutSeconds?: number;
}

const RUN_ARGUMENT = { name: "run", description: "run id" } as const;

/** The arguments of the commands about one run. */
interface RunArgs {
  vm: string;
  run: string;
}

const ls = defineList({
  summary: "list a VM's runs, newest first",
  examples: ["arker runs ls vm_01J... --state failed"],
  arguments: [VM_ARGUMENT],
  filters: [
    {
      flags: "--state <state>",
      description: `only runs in this state (${RUN_STATES.join(", ")})`,
      parse: choiceOption("--state", RUN_STATES),
    },
  ],
  noun: "runs",
  key: "runs",
  fetch: async (args: { vm: string }, query: ListRunsOptions, context) =>
    (await context.arker()).vm(await context.vmId(args.vm)).listRuns(query),
  table: runTable,
});

const get = defineCommand({
  name: "get",
  summary: "show one run (state, exit code, sizes of its output)",
  examples: ["arker runs get vm_01J... run_01J... --json | jq .exitCode"],
  arguments: [VM_ARGUMENT, RUN_ARGUMENT],
  action: async ({ args }: { args: RunArgs; options: unknown }, context) =>
    (await context.arker()).vm(await context.vmId(args.vm)).getRun(args.run),
  json: (run: RunDetails) => runDocument(run),
  render: (run, styles) => ({ data: runDetails(run, styles.out) }),
});

const cancel = defineCommand({
  name: "cancel",
  summary: "cancel a running run",
  examples: ["arker runs cancel vm_01J... run_01J..."],
  arguments: [VM_ARGUMENT, RUN_ARGUMENT],
  action: async ({ args }: { args: RunArgs; options: unknown }, context) => {
    await (await context.arker()).vm(await context.vmId(args.vm)).cancelRun(args.run);
    return { runId: args.run, cancelled: true as const };
  },
  render: (cancelled) => ({ messages: [`cancelled ${cancelled.runId}`] }),
});

const wait = defineCommand({
  name: "wait",
  summary: "wait for a run to end, print its output and exit with its exit code",
  examples: [
    "arker runs wait vm_01J... run_01J... > out.log; echo $?",
    "arker runs wait vm_01J... run_01J... --timeout 600   # exit 124 if still running",
  ],
  arguments: [VM_ARGUMENT, RUN_ARGUMENT],
  options: [
    {
      flags: "--timeout <seconds>",
      description: "give up after this many seconds (error `timeout`, exit 124; the run goes on)",
      parse: integerOption("--timeout", { min: 1, max: MAX_TIMEOUT_SECONDS }),
      key: "timeoutSeconds",
    },
    {
      flags: "--poll-interval <ms>",
      description: "milliseconds between polls (default 500)",
      parse: integerOption("--poll-interval", { min: 10 }),
      key: "pollIntervalMs",
    },
  ],
  action: async ({ args, options }: { args: RunArgs; options: WaitOptions }, context) => {
    const { timeoutSeconds, ...waitOptions } = options;
    const vm = (await context.arker()).vm(await context.vmId(args.vm));
    const interrupt = context.io.signal;
    if (timeoutSeconds === undefined) {
      return vm.waitForRun(args.run, { ...waitOptions, ...signalOf(context.io) });
    }
    return withTimeout(timeoutSeconds, `run ${args.run} still running`, (timeout) =>
      vm.waitForRun(args.run, {
        ...waitOptions,
        signal: interrupt ? AbortSignal.any([interrupt, timeout]) : timeout,
      }),
    );
  },
  ...finishedRunView,
});

/** `runs ls|get|cancel|wait`. */
export const RUNS_COMMANDS: readonly Definition[] = [
  defineGroup({
    name: "runs",
    summary: "list, inspect, cancel and wait for a VM's runs",
    examples: [
      "arker runs ls vm_01J...",
      "arker runs ls vm_01J... --state running --json",
      "arker runs get vm_01J... run_01J...",
      "arker runs cancel vm_01J... run_01J...",
      "RUN=$(arker run vm_01J... --background -- make test)",
      'arker runs wait vm_01J... "$RUN"; echo "exit $?"',
    ],
    commands: [ls, get, cancel, wait],
  }),
];

function stateStyle(styles: Styles) {
  return (text: string) => {
    const state = text.trim();
    if (state === "completed") return styles.green(text);
    if (state === "failed" || state === "cancelled") return styles.red(text);
    if (state === "running") return styles.yellow(text);
    return text;
  };
}

/** The `arker runs ls` table. */
export function runTable(runs: readonly RunSummary[], styles: Styles): string {
  return formatTable(
    runs,
    [
      { header: "run", value: (run) => run.run_id, style: (text) => styles.cyan(text) },
      { header: "state", value: (run) => run.state, style: stateStyle(styles) },
      { header: "exit", value: (run) => run.exit_code, align: "right" },
      { header: "started", value: (run) => run.started_at },
      { header: "command", value: (run) => truncate(run.command, 60) },
    ],
    styles,
  );
}

/** The `arker runs get` key/value view. */
export function runDetails(run: RunDetails, styles: Styles): string {
  return formatKeyValues(
    [
      ["run", run.runId],
      ["state", run.state],
      ["exit code", run.exitCode],
      ["fail reason", run.failReason],
      ["session", run.sessionId],
      ["command", run.command],
      ["retries", run.retryCount],
      ["started", run.startedAt],
      ["completed", run.completedAt],
      ["stdout", `${run.stdout.byteLength} bytes`],
      ["stderr", `${run.stderr.byteLength} bytes`],
    ],
    styles,
  );
}

function truncate(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, " ");
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
