import { MAX_RUN_TIMEOUT_SECONDS } from "@arker-ai/core/contract";
import type { RunOptions } from "@arker-ai/vm";
import { type Definition, defineCommand } from "../framework/define-command";
import type { RunLike } from "../support/documents";
import { EXIT_CODES, UsageError } from "../support/errors";
import { signalOf } from "../support/interrupt-signal";
import {
  collectEnv,
  integerOption,
  parseCwd,
  parseIdempotencyKey,
} from "../support/parse-arguments";
import { onInterrupt } from "../support/remote-interrupt";
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
are written byte for byte, and arker exits with the remote exit code. Ctrl-C (or SIGTERM)
during a foreground run sends that signal to the remote command, then exits with the
run's code (130 for SIGINT); a second Ctrl-C exits at once.`,
  arguments: [
    { name: "vm", description: "VM id or name" },
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
    missingVmBeforeDashes(context.argv);
    const vmId = await context.vmId(args.vm);
    const command = joinCommand(args.command);
    if (follow === true) {
      const arker = await context.arker();
      return { followed: { exitCode: await followRun(arker, context.io, vmId, command, options) } };
    }
    const vm = (await context.arker()).vm(vmId);
    if (options.background) {
      const result = await vm.run(command, { ...options, ...signalOf(context.io) });
      if (result.type === "completed") return { finished: result };
      return { started: { runId: result.runId, state: result.state } };
    }
    // Ctrl-C goes to the remote command, and the run ends with its own code; the local
    // calls are aborted only when nothing was there to signal (or the signal failed).
    const local = new AbortController();
    const stopListening = onInterrupt(context.io, (signal) => {
      const sessionId = options.sessionId === undefined ? {} : { sessionId: options.sessionId };
      vm.signal(signal, sessionId).then(
        (ack) => {
          if (ack.signalled === false) local.abort(context.io.signal?.reason);
        },
        () => local.abort(context.io.signal?.reason),
      );
    });
    try {
      const result = await vm.run(command, { ...options, signal: local.signal });
      if (result.type === "completed") return { finished: result };
      // A foreground run that outlived the service's synchronous window comes back as
      // "running"; poll it to its end so `arker run` still behaves like a local command.
      return { finished: await vm.waitForRun(result.runId, { signal: local.signal }) };
    } finally {
      stopListening();
    }
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

/**
 * `arker run -- echo hi` parses `echo` as the VM; said as what it is: the VM argument is
 * missing (no word between `run` and `--`).
 */
function missingVmBeforeDashes(argv: readonly string[]): void {
  const start = argv.indexOf("run");
  const dashes = argv.indexOf("--");
  if (start < 0 || dashes < 0 || dashes < start) return;
  let index = start + 1;
  while (index < dashes) {
    const word = argv[index] as string;
    if (!word.startsWith("-")) return;
    // Flags of run that take a value: skip the value too.
    index += VALUE_FLAGS.has(word) ? 2 : 1;
  }
  throw new UsageError(
    "missing VM argument: the VM comes before --, as in: arker run <vm> -- echo hi",
  );
}

const VALUE_FLAGS = new Set(["--timeout", "--session", "--env", "--cwd", "--idempotency-key"]);

/** `run`. */
export const RUN_COMMANDS: readonly Definition[] = [run];
