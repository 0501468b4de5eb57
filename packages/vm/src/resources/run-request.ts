import type { CallOptions } from "@arker-ai/core";
import { MAX_RUN_TIMEOUT_SECONDS } from "@arker-ai/core/contract";
import {
  badRequest,
  optionalBoolean,
  optionalNumberInRange,
  optionKeys,
  rejectUnknownOptions,
  requireId,
  validateEnv,
  validatePath,
} from "@arker-ai/core/internal";
import type { RunRequest } from "@arker-ai/core/wire";

export { MAX_RUN_TIMEOUT_SECONDS };

/** Options of {@link Vm.run}. */
export interface RunOptions extends CallOptions {
  /**
   * Start the run and return at once with `type: "background"`; follow it with
   * `getRun` / `waitForRun`. Default `false`: wait for the result (the service answers
   * `background` anyway when the run outlives its synchronous window, 30 s by default).
   */
  background?: boolean;
  /**
   * Kill the command after this many **seconds** (as the wire); it then fails with
   * `fail_reason: "timeout"` and exit code 124. `0` or absent: no timeout. At most
   * {@link MAX_RUN_TIMEOUT_SECONDS}.
   */
  timeout?: number;
  /** Run in this session (`sess_…`), keeping its cwd and env. Default: the VM's default session. */
  sessionId?: string;
  /** Extra environment variables for this run (names are shell identifiers). */
  env?: Record<string, string>;
  /**
   * Working directory for this run: an absolute path without `..`. Default: the
   * session's (`/home/user` at first).
   */
  cwd?: string;
}

const RUN_OPTION_KEYS = optionKeys<RunOptions>({
  background: true,
  timeout: true,
  sessionId: true,
  env: true,
  cwd: true,
  signal: true,
  timeoutMs: true,
  idempotencyKey: true,
});

/**
 * Validates a command and its options and builds the `POST /v1/vms/{id}/runs` body.
 * An unknown option (such as the wire's `session_id`) is a `bad_request`.
 */
export function runRequest(command: string, options: RunOptions = {}): RunRequest {
  rejectUnknownOptions(options, RUN_OPTION_KEYS, "run");
  if (typeof command !== "string" || command.trim().length === 0) {
    throw badRequest("command must be a non-empty string");
  }
  const body: RunRequest = { command };
  const background = optionalBoolean(options.background, "background");
  if (background !== undefined) body.background = background;
  const timeout = optionalNumberInRange(
    options.timeout,
    0,
    MAX_RUN_TIMEOUT_SECONDS,
    "timeout",
    "seconds",
  );
  if (timeout !== undefined) body.timeout = timeout;
  if (options.sessionId !== undefined) body.session_id = requireId(options.sessionId, "sessionId");
  const env = validateEnv(options.env);
  if (env !== undefined) body.env = env;
  if (options.cwd !== undefined) body.cwd = validatePath(options.cwd, "cwd");
  return body;
}
