import type { RunOptions } from "@arker-ai/sdk";
import type { Command } from "commander";
import type { CommandContext } from "../context";
import { type RunLike, runDocument } from "../documents";
import { processExitCode } from "../errors";
import { collectEnv, integerOption } from "../parse-arguments";
import { joinCommand } from "../shell-quote";

const EXAMPLES = `
Examples:
  $ arker run vm_01J... -- uname -a
  $ arker run vm_01J... -- sh -c 'exit 3'; echo $?        # prints 3
  $ arker run vm_01J... -- 'ls /tmp | wc -l'              # one word: sent to the shell as is
  $ arker run vm_01J... --env MODE=fast --cwd /srv -- python3 job.py
  $ RUN=$(arker run vm_01J... --background -- python3 train.py)
  $ arker run vm_01J... --json -- echo hi | jq .stdout

Words after -- are quoted for a POSIX shell and joined, so the remote program sees
exactly these arguments; a single word is sent unchanged. The remote stdout and stderr
are written byte for byte, and arker exits with the remote exit code.`;

interface RunFlags {
  background?: boolean;
  timeout?: number;
  session?: string;
  env?: Record<string, string>;
  cwd?: string;
  idempotencyKey?: string;
}

/** Registers `run`. */
export function registerRunCommand(program: Command, context: CommandContext): void {
  program
    .command("run")
    .description("run a command in a VM and exit with its exit code")
    .argument("<vm>", "VM id")
    .argument("<command...>", "the command, after --")
    .option("--background", "start the run and print its id without waiting")
    .option(
      "--timeout <seconds>",
      "kill the run after this many seconds (exit 124)",
      integerOption("--timeout", { min: 0 }),
    )
    .option("--session <id>", "run in this session (keeps cwd and env between runs)")
    .option("--env <K=V>", "set an environment variable (repeatable)", collectEnv)
    .option("--cwd <dir>", "working directory of the command")
    .option("--idempotency-key <key>", "replaying the same key returns the same run")
    .addHelpText("after", EXAMPLES)
    .action(async (vmId: string, words: string[], flags: RunFlags) => {
      const arker = await context.arker();
      const vm = arker.vm(vmId);
      const options: RunOptions = {};
      if (flags.background) options.background = true;
      if (flags.timeout !== undefined) options.timeout = flags.timeout;
      if (flags.session !== undefined) options.sessionId = flags.session;
      if (flags.env !== undefined) options.env = flags.env;
      if (flags.cwd !== undefined) options.cwd = flags.cwd;
      if (flags.idempotencyKey !== undefined) options.idempotencyKey = flags.idempotencyKey;
      const result = await vm.run(joinCommand(words), options);
      if (result.type === "completed") {
        await emitFinishedRun(context, result);
        return;
      }
      if (flags.background) {
        if (context.output.json) {
          await context.output.document({ runId: result.runId, state: result.state });
        } else {
          await context.output.data(`${result.runId}\n`);
        }
        return;
      }
      // A foreground run that outlived the service's synchronous window comes back as
      // "running"; poll it to its end so `arker run` still behaves like a local command.
      await emitFinishedRun(context, await vm.waitForRun(result.runId));
    });
}

/**
 * Prints a finished run — its output bytes unchanged on stdout/stderr, or one JSON
 * document — and sets the process exit code to the remote one. A run that ended
 * without a normal exit (timeout, cancel, host failure) also gets one `arker:` line.
 */
export async function emitFinishedRun(context: CommandContext, run: RunLike): Promise<void> {
  context.exitCode = processExitCode(run.exitCode);
  if (context.output.json) {
    await context.output.document(runDocument(run));
    return;
  }
  if (run.stdout.byteLength > 0) await context.output.data(run.stdout);
  if (run.stderr.byteLength > 0) {
    await new Promise<void>((resolve, reject) =>
      context.io.stderr.write(run.stderr, (error?: Error | null) =>
        error ? reject(error) : resolve(),
      ),
    );
  }
  if (run.state === "cancelled" || run.failReason) {
    const reason = run.failReason ?? run.state;
    await context.output.message(
      context.output.err.red(`arker: run ${run.runId} ${run.state}: ${reason}`),
    );
  }
}
