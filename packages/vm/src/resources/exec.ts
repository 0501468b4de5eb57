import type { ArkerClient } from "@arker-ai/core";
import { ArkerError } from "@arker-ai/core";
import { optionalBoolean, optionKeys, rejectUnknownOptions } from "@arker-ai/core/internal";
import type { RunState } from "@arker-ai/core/wire";
import type { CompletedRun, RunDetails } from "./run-decoders";
import type { RunOptions } from "./run-request";
import { checkedPollInterval, startRun, waitForRun } from "./runs";

/**
 * `vm.exec`: run a command to its end and get its output as text, the way `execa` or
 * E2B's `commands.run` do; a failure is an `ArkerError` (`command_failed`) carrying the run.
 *
 * @module
 */

/** Options of {@link Vm.exec}: every run option except `background`, plus `check`. */
export interface ExecOptions extends Omit<RunOptions, "background"> {
  /**
   * Reject with `command_failed` when the command exits non-zero or its run fails
   * (timeout, cancel, host failure). Default `true`; `false` resolves with the result.
   */
  check?: boolean;
  /**
   * Milliseconds between two polls once the run outlives the service's synchronous window
   * (see `waitForRun`). Default 500.
   */
  pollIntervalMs?: number;
}

/** What {@link Vm.exec} resolves to: the finished run, its output decoded as UTF-8. */
export interface ExecResult {
  /** The run's id (`run_…`). */
  runId: string;
  /** `completed` (the command exited, whatever its code), `failed` or `cancelled`. */
  state: Exclude<RunState, "running">;
  /** The exit code (124 after a timeout, 127 for a missing program). */
  exitCode: number;
  /** Standard output as UTF-8 text (invalid bytes become U+FFFD). */
  stdout: string;
  /** Standard error as UTF-8 text. */
  stderr: string;
  /** Why the run failed (`"timeout"`, `"host_failed"`, …), or `null`. */
  failReason: string | null;
  /** The session the command ran in. */
  sessionId: string;
}

const EXEC_OPTION_KEYS = optionKeys<ExecOptions>({
  check: true,
  pollIntervalMs: true,
  timeout: true,
  sessionId: true,
  env: true,
  cwd: true,
  signal: true,
  timeoutMs: true,
  idempotencyKey: true,
});

/** The most characters of stderr (or stdout) quoted in a `command_failed` message. */
const QUOTED_OUTPUT_CHARS = 500;

/**
 * The error of a command that exited non-zero or whose run failed: code
 * `command_failed`, status 0, with the whole {@link ExecResult} in `result`.
 */
export class CommandFailedError extends ArkerError {
  /** The run: exit code, fail reason, output. */
  readonly result: ExecResult;

  /** Builds the error of `result` (its message quotes the end of its output). */
  constructor(command: string, result: ExecResult, redact: (text: string) => string) {
    super("command_failed", redact(describeFailure(command, result)), 0);
    this.name = "CommandFailedError";
    this.result = result;
  }
}

function describeFailure(command: string, result: ExecResult): string {
  const what =
    result.state === "completed"
      ? `exited with code ${result.exitCode}`
      : `${result.state}${result.failReason ? ` (${result.failReason})` : ""}, exit code ${result.exitCode}`;
  const output = (result.stderr.trim() || result.stdout.trim()).slice(-QUOTED_OUTPUT_CHARS);
  const shown = command.length > 200 ? `${command.slice(0, 200)}…` : command;
  return `${shown} ${what} (run ${result.runId})${output ? `: ${output}` : ""}`;
}

const utf8 = new TextDecoder();

function fromCompleted(run: CompletedRun): ExecResult {
  return {
    runId: run.runId,
    state: run.state,
    exitCode: run.exitCode,
    stdout: utf8.decode(run.stdout),
    stderr: utf8.decode(run.stderr),
    failReason: run.failReason,
    sessionId: run.sessionId,
  };
}

function fromDetails(run: RunDetails): ExecResult {
  return {
    runId: run.runId,
    state: run.state === "running" ? "failed" : run.state,
    exitCode: run.exitCode ?? -1,
    stdout: utf8.decode(run.stdout),
    stderr: utf8.decode(run.stderr),
    failReason: run.failReason,
    sessionId: run.sessionId,
  };
}

/**
 * Runs `command` in the foreground; when the run outlives the synchronous window it is
 * polled to its end. A run answered inside the window costs exactly one request.
 */
export async function exec(
  client: ArkerClient,
  vmId: string,
  command: string,
  options: ExecOptions = {},
): Promise<ExecResult> {
  // `background` is refused here: exec always waits for the end.
  rejectUnknownOptions(options, EXEC_OPTION_KEYS, "exec");
  const { check: checkOption, pollIntervalMs, ...runOptions } = options;
  const check = optionalBoolean(checkOption, "check") ?? true;
  checkedPollInterval(pollIntervalMs);
  const started = await startRun(client, vmId, command, runOptions);
  const result =
    started.type === "completed"
      ? fromCompleted(started)
      : fromDetails(
          await waitForRun(client, vmId, started.runId, {
            ...(options.signal ? { signal: options.signal } : {}),
            ...(pollIntervalMs === undefined ? {} : { pollIntervalMs }),
          }),
        );
  if (check && (result.state !== "completed" || result.exitCode !== 0)) {
    throw new CommandFailedError(command, result, (text) => client.redact(text));
  }
  return result;
}
