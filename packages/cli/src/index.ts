/**
 * `@arker-ai/cli`: the `arker` command. The bin calls {@link runCli} with the real
 * process; tests and embedders can call it with their own io.
 *
 * @module
 */
import { CommanderError } from "commander";
import { type CliIo, processIo } from "./cli-io";
import { CommandContext } from "./context";
import { describeError, EXIT_CODES, exitCodeFor, formatError, hintFor, UsageError } from "./errors";
import { buildProgram } from "./program";

export type { CliIo } from "./cli-io";
export { processIo } from "./cli-io";
export { EXIT_CODES } from "./errors";
export { CLI_VERSION } from "./program";

/**
 * Runs the `arker` command line and resolves with the exit code; never calls
 * `process.exit` and never rejects.
 *
 * @param argv the arguments after the program name (`process.argv.slice(2)`)
 * @param io where to read and write; default: the running process
 *
 * @example
 * const code = await runCli(["ls", "--json"]);
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const context = new CommandContext(io);
  const program = buildProgram(context);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return context.exitCode;
  } catch (error) {
    return await reportFailure(context, argv, error);
  } finally {
    await context.close().catch(() => {});
  }
}

async function reportFailure(
  context: CommandContext,
  argv: readonly string[],
  error: unknown,
): Promise<number> {
  if (error instanceof CommanderError) {
    // Help and --version end with a CommanderError too; they are successes.
    if (error.code === "commander.helpDisplayed" || error.code === "commander.version") {
      return EXIT_CODES.ok;
    }
    // Commander has already printed the message (through configureOutput).
    if (wantsJson(argv)) {
      const message = error.message.replace(/^error: /, "");
      await context.output.document(describeAsDocument(new UsageError(message)));
    }
    return EXIT_CODES.usage;
  }
  const output = context.output;
  await output.message(output.err.red(formatError(error)));
  const hint = hintFor(error);
  if (hint) await output.message(output.err.dim(hint));
  if (output.json) {
    const document = describeAsDocument(error);
    document.error.message = output.scrub(document.error.message);
    await output.document(document);
  }
  return exitCodeFor(error);
}

function describeAsDocument(error: unknown) {
  return { error: describeError(error) };
}

/** `--json` before any `--` (commander may not have parsed the flags when it failed). */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return (end === -1 ? argv : argv.slice(0, end)).includes("--json");
}
