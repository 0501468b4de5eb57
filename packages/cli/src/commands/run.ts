import { MAX_RUN_TIMEOUT_SECONDS } from "@arker-ai/core/contract";
import type { RunOptions } from "@arker-ai/sdk";
import { type Definition, defineCommand } from "../framework/define-command";
import type { RunLike } from "../support/documents";
import { EXIT_CODES } from "../support/errors";
import { signalOf } from "../support/interrupt-signal";
import {
  collectEnv,
  integerOption,
  parseCwd,
  parseIdempotencyKey,
} from "../support/parse-arguments";
import { joinCommand } from "../support/shell-quote";
import { finishedRunView } from "./finished-run";
import { followRun } from "./follow";

/**
 * What `arker run` ended with: a run started in the background, a finished run, or a
 * followed command (its output already written).
 */
type RunOutcome =
  | { started: { runId: string; state: string } }
  | { finished: RunLike }
  | { followed: { exitCode: number } };

const run = defineCommand({
  name: "run",
  summary: "run a command in a VM and exit with its exit code",
  examples: [
    "arker run vm_01J... -- uname -a",
    "arker run vm_01J... -- sh -c 'exit 3'; echo $?        # prints 3",
    "arker run vm_01J... -- 'ls /tmp | wc -l'              # one word: sent to the shell as is",
    "arker run vm_01J... --env MODE=fast --cwd /srv -- python3 job.py",
    "RUN=$(arker run vm_01J... --background -- python3 train.py)",
    "arker run vm_01J... --json -- echo hi | jq .stdout",
    "arker run vm_01J... --follow -- make all         # output as it comes",
  ],
  notes: `Words after -- are quoted for a POSIX shell and joined, so the remote program sees
exactly these arguments; a single word is sent unchanged. The remote stdout and stderr
are written byte for byte, and arker exits with the remote exit code.`,
  arguments: [
    { name: "vm", description: "VM id" },
    { name: "command", description: "the command, after --", variadic: true },
  ],
  options: [
    { flags: "--background", description: "start the run and print its id without waiting" },
    {
      flags: "--follow",
      description: "stream the output as it comes (over a terminal: stdout and stderr together)",
    },
    {
      flags: "--timeout <seconds>",
      description: `kill the run after this many seconds, at most ${MAX_RUN_TIMEOUT_SECONDS} (exit 124)`,
      parse: integerOption("--timeout", { min: 0, max: MAX_RUN_TIMEOUT_SECONDS }),
    },
    {
      flags: "--session <id>",
      description: "run in this session (keeps cwd and env between runs)",
      key: "sessionId",
    },
    {
      flags: "--env <K=V>",
      description: "set an environment variable (repeatable)",
      parse: collectEnv,
    },
    { flags: "--cwd <dir>", description: "working directory of the command", parse: parseCwd },
    {
      flags: "--idempotency-key <key>",
      description: "replaying the same key returns the same run",
      parse: parseIdempotencyKey,
    },
  ],
  action: async (
    {
      args,
      options: { follow, ...options },
    }: { args: { vm: string; command: string[] }; options: RunOptions & { follow?: boolean } },
    context,
  ): Promise<RunOutcome> => {
    if (follow === true) {
      const arker = await context.arker();
      const command = joinCommand(args.command);
      return {
        followed: { exitCode: await followRun(arker, context.io, args.vm, command, options) },
      };
    }
    const vm = (await context.arker()).vm(args.vm);
    const result = await vm.run(joinCommand(args.command), { ...options, ...signalOf(context.io) });
    if (result.type === "completed") return { finished: result };
    if (options.background) return { started: { runId: result.runId, state: result.state } };
    // A foreground run that outlived the service's synchronous window comes back as
    // "running"; poll it to its end so `arker run` still behaves like a local command.
    return { finished: await vm.waitForRun(result.runId, signalOf(context.io)) };
  },
  json: (outcome) =>
    "followed" in outcome
      ? { exit_code: outcome.followed.exitCode }
      : "started" in outcome
        ? outcome.started
        : finishedRunView.json(outcome.finished),
  render: (outcome, styles) =>
    "followed" in outcome
      ? {}
      : "started" in outcome
        ? { data: `${outcome.started.runId}\n` }
        : finishedRunView.render(outcome.finished, styles),
  exitCode: (outcome) =>
    "followed" in outcome
      ? outcome.followed.exitCode
      : "started" in outcome
        ? EXIT_CODES.ok
        : finishedRunView.exitCode(outcome.finished),
});

/** `run`. */
export const RUN_COMMANDS: readonly Definition[] = [run];
