import type { RunDetails, RunSummary } from "@arker-ai/sdk";
import type { Command } from "commander";
import type { CommandContext } from "../context";
import { runDocument } from "../documents";
import { addListOptions, collectPage, hintMorePages, type ListFlags } from "../list-pages";
import { formatKeyValues, formatTable, type Styles } from "../output";
import { choiceOption, integerOption } from "../parse-arguments";
import { emitFinishedRun } from "./run";

const EXAMPLES = `
Examples:
  $ arker runs ls vm_01J...
  $ arker runs ls vm_01J... --state running --json
  $ arker runs get vm_01J... run_01J...
  $ arker runs cancel vm_01J... run_01J...
  $ RUN=$(arker run vm_01J... --background -- make test)
  $ arker runs wait vm_01J... "$RUN"; echo "exit $?"`;

const RUN_STATES = ["running", "completed", "failed", "cancelled"] as const;

interface RunsLsFlags extends ListFlags {
  state?: (typeof RUN_STATES)[number];
}

/** Registers `runs ls|get|cancel|wait`. */
export function registerRunsCommands(program: Command, context: CommandContext): void {
  const runs = program
    .command("runs")
    .description("list, inspect, cancel and wait for a VM's runs")
    .addHelpText("after", EXAMPLES);

  addListOptions(
    runs
      .command("ls")
      .description("list a VM's runs, newest first")
      .argument("<vm>", "VM id")
      .option(
        "--state <state>",
        `only runs in this state (${RUN_STATES.join(", ")})`,
        choiceOption("--state", RUN_STATES),
      ),
    "runs",
  )
    .addHelpText("after", "\nExamples:\n  $ arker runs ls vm_01J... --state failed")
    .action(async (vmId: string, flags: RunsLsFlags) => {
      const arker = await context.arker();
      const page = await arker
        .vm(vmId)
        .listRuns({ state: flags.state, limit: flags.limit, cursor: flags.cursor });
      const { items, nextCursor } = await collectPage(page, flags.all);
      if (context.output.json) {
        await context.output.document({ runs: items, nextCursor });
        return;
      }
      await context.output.data(runTable(items, context.output.out));
      await hintMorePages(context, nextCursor);
    });

  runs
    .command("get")
    .description("show one run (state, exit code, sizes of its output)")
    .argument("<vm>", "VM id")
    .argument("<run>", "run id")
    .addHelpText(
      "after",
      "\nExamples:\n  $ arker runs get vm_01J... run_01J... --json | jq .exitCode",
    )
    .action(async (vmId: string, runId: string) => {
      const arker = await context.arker();
      const run = await arker.vm(vmId).getRun(runId);
      if (context.output.json) {
        await context.output.document(runDocument(run));
        return;
      }
      await context.output.data(runDetails(run, context.output.out));
    });

  runs
    .command("cancel")
    .description("cancel a running run")
    .argument("<vm>", "VM id")
    .argument("<run>", "run id")
    .addHelpText("after", "\nExamples:\n  $ arker runs cancel vm_01J... run_01J...")
    .action(async (vmId: string, runId: string) => {
      const arker = await context.arker();
      await arker.vm(vmId).cancelRun(runId);
      if (context.output.json) {
        await context.output.document({ runId, cancelled: true });
        return;
      }
      await context.output.message(`cancelled ${runId}`);
    });

  runs
    .command("wait")
    .description("wait for a run to end, print its output and exit with its exit code")
    .argument("<vm>", "VM id")
    .argument("<run>", "run id")
    .option(
      "--poll-interval <ms>",
      "milliseconds between polls (default 500)",
      integerOption("--poll-interval", { min: 10 }),
    )
    .addHelpText(
      "after",
      "\nExamples:\n  $ arker runs wait vm_01J... run_01J... > out.log; echo $?",
    )
    .action(async (vmId: string, runId: string, flags: { pollInterval?: number }) => {
      const arker = await context.arker();
      const run = await arker
        .vm(vmId)
        .waitForRun(
          runId,
          flags.pollInterval === undefined ? {} : { pollIntervalMs: flags.pollInterval },
        );
      await emitFinishedRun(context, run);
    });
}

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
