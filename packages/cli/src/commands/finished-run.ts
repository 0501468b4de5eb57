import type { Rendering, RenderStyles } from "../framework/define-command";
import { type RunLike, runDocument } from "../support/documents";
import { processExitCode } from "../support/errors";

/**
 * How a finished run (`arker run`, `runs wait`) is shown: under `--json` its run
 * document; else its output bytes unchanged on stdout and stderr, plus one `arker:`
 * line when it ended without a normal exit (timeout, cancel, host failure).
 */
export const finishedRunView = {
  /** The `--json` document. */
  json: (run: RunLike) => runDocument(run),
  /** The human view. */
  render: (run: RunLike, styles: RenderStyles): Rendering => ({
    data: run.stdout,
    stderr: run.stderr,
    messages:
      run.state === "cancelled" || run.failReason
        ? [styles.err.red(`arker: run ${run.runId} ${run.state}${reasonSuffix(run)}`)]
        : [],
  }),
  /** The remote exit code, clamped to what a process can return. */
  exitCode: (run: RunLike) => processExitCode(run.exitCode),
};

/** `: <reason>` when the reason says more than the state (never `cancelled: cancelled`). */
function reasonSuffix(run: RunLike): string {
  return run.failReason && run.failReason !== run.state ? `: ${run.failReason}` : "";
}
