import type { RunOptions } from "@arker-ai/vm";
import type { SdkClient } from "../framework/sdk-client";
import type { CliIo } from "../support/cli-io";
import { UsageError } from "../support/errors";
import { attachTerminal } from "../support/pty-pump";

/** The `arker run` flags that `--follow` cannot honour (a spawn has no run record). */
const NOT_WITH_FOLLOW: ReadonlyArray<[keyof RunOptions, string]> = [
  ["background", "--background"],
  ["timeout", "--timeout"],
  ["idempotencyKey", "--idempotency-key"],
];

/**
 * `arker run --follow`: the command's output as it comes (over a terminal: stdout and
 * stderr together, `\r\n` written as `\n`), then its exit code.
 */
export async function followRun(
  arker: SdkClient,
  io: CliIo,
  vmId: string,
  command: string,
  options: RunOptions,
): Promise<number> {
  for (const [key, flag] of NOT_WITH_FOLLOW)
    if (options[key] !== undefined) throw new UsageError(`--follow cannot be used with ${flag}`);
  const pty = await arker.vm(vmId).spawn(command, {
    ...(options.sessionId === undefined ? {} : { sessionId: options.sessionId }),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  return attachTerminal(io, pty, { input: false, plainNewlines: true });
}
