/**
 * `@arker-ai/cli`: the `arker` command. The bin calls {@link runCli} with the real
 * process; tests and embedders can call it with their own io.
 *
 * @module
 */
import { CommanderError } from "commander";
import { CommandContext } from "./framework/context";
import { presentFailure, presentUsageFailure } from "./framework/present";
import { runRootDocument } from "./framework/root-invocation";
import { buildProgram } from "./program";
import { type CliIo, processIo } from "./support/cli-io";
import { EXIT_CODES } from "./support/errors";
import { usageHint } from "./support/usage-hints";

export type { CliIo, TerminalControl } from "./support/cli-io";
export { processIo } from "./support/cli-io";
export { EXIT_CODES } from "./support/errors";
export { CLI_VERSION } from "./support/version";

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
  context.argv = argv;
  const program = buildProgram(context);
  try {
    const documented = await runRootDocument(argv, program, io.stdout);
    if (documented !== null) return documented;
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
    // Commander has already printed the message (through configureOutput); the flags may
    // not have been parsed, so `--json` is looked for in argv.
    const hint = usageHint(error.code, argv);
    if (hint !== null && !wantsJson(argv)) await context.output.message(`arker: ${hint}`);
    const message = error.message.replace(/^error: /, "");
    return presentUsageFailure(
      hint === null ? message : `${message}; ${hint}`,
      wantsJson(argv),
      context,
    );
  }
  return presentFailure(error, context);
}

/** `--json` before any `--` (commander may not have parsed the flags when it failed). */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return (end === -1 ? argv : argv.slice(0, end)).includes("--json");
}
