import { writeAll } from "../support/cli-io";
import {
  describeError,
  EXIT_CODES,
  exitCodeFor,
  formatError,
  hintFor,
  UsageError,
} from "../support/errors";
import type { Styles } from "../support/output";
import type { CommandContext } from "./context";
import type { CommandSpec } from "./define-command";

/**
 * Prints a command's result: under `--json` its one JSON document on stdout, else its
 * rendering. The only place that looks at the output mode for a result.
 */
export async function presentResult<Result>(
  spec: CommandSpec<unknown, unknown, Result>,
  result: Result,
  context: CommandContext,
): Promise<void> {
  const output = context.output;
  if (output.json) {
    const scrub = (text: string) => output.scrub(text);
    await output.document(spec.json ? spec.json(result, scrub) : result);
    return;
  }
  const rendering = spec.render(result, { out: output.out, err: output.err });
  if (rendering.data !== undefined && rendering.data.length > 0) await output.data(rendering.data);
  if (rendering.stderr !== undefined && rendering.stderr.byteLength > 0) {
    await writeAll(context.io.stderr, rendering.stderr);
  }
  for (const line of rendering.messages ?? []) await output.message(line);
}

/**
 * Prints a failure: the `arker: <code>: <message>` line and its hint on stderr, and under
 * `--json` also `{ error }` on stdout. Resolves with the exit code.
 */
export async function presentFailure(error: unknown, context: CommandContext): Promise<number> {
  const output = context.output;
  for (const line of failureLines(error, output.err)) await output.message(line);
  if (output.json) {
    const document = { error: describeError(error) };
    document.error.message = output.scrub(document.error.message);
    await output.document(document);
  }
  return exitCodeFor(error);
}

/**
 * Finishes a command line commander rejected (it has printed the message already): under
 * `--json` also `{ error }` with code `usage`. Resolves with exit code 2.
 */
export async function presentUsageFailure(
  message: string,
  json: boolean,
  context: CommandContext,
): Promise<number> {
  if (json) {
    const document = { error: describeError(new UsageError(context.output.scrub(message))) };
    await context.output.document(document);
  }
  return EXIT_CODES.usage;
}

/** The stderr lines of a failure (the error in red, the hint dimmed). */
export function failureLines(error: unknown, styles: Styles): string[] {
  const hint = hintFor(error);
  return [styles.red(formatError(error)), ...(hint ? [styles.dim(hint)] : [])];
}
