import type { Command } from "commander";
import { writeAll } from "../support/cli-io";
import { describeCommand } from "../support/command-tree";
import { versionDocument } from "../support/version";

/** The root flags of a command line that names no command, or `null` when it names one. */
function rootFlags(argv: readonly string[], program: Command): Set<string> | null {
  const flags = new Set<string>();
  for (let index = 0; index < argv.length; index++) {
    const word = argv[index] as string;
    if (word === "--" || !word.startsWith("-")) return null;
    const name = word.split("=", 1)[0] as string;
    const option = program.options.find(
      (candidate) => candidate.long === name || candidate.short === name,
    );
    if (option === undefined) return null;
    flags.add(option.long ?? name);
    if ((option.required || option.optional) && !word.includes("=")) index++;
  }
  return flags;
}

/**
 * Handles the command lines that name no command but ask for a document: `arker --json`
 * prints the help as JSON (`{ name, version, commands, options, … }`) and `arker
 * --version --json` the version document. Resolves with the exit code, or `null` when
 * the command line is for commander to parse.
 */
export async function runRootDocument(
  argv: readonly string[],
  program: Command,
  stdout: NodeJS.WritableStream,
): Promise<number | null> {
  const flags = rootFlags(argv, program);
  if (flags === null || !flags.has("--json") || flags.has("--help")) return null;
  const document = flags.has("--version")
    ? versionDocument()
    : { ...versionDocument(), ...describeCommand(program) };
  await writeAll(stdout, `${JSON.stringify(document, null, 2)}\n`);
  return 0;
}
