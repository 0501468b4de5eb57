import { Command } from "commander";
import { COMMANDS } from "./commands/index";
import type { CommandContext } from "./framework/context";
import { registerDefinitions } from "./framework/register";
import { CLI_VERSION } from "./support/version";

const ROOT_HELP = `
Examples:
  $ export ARKER_API_KEY=ark_live_...  ARKER_REGION=us-west-2
  $ VM=$(arker fork ubuntu-full)
  $ arker run "$VM" -- python3 -c 'print(2 + 2)'
  $ arker sync "$VM" /home/user/data.csv ./data.csv
  $ arker sync "$VM" /home/user/data.csv > copy.csv
  $ arker ls --json | jq -r '.vms[].vm_id'
  $ arker rm "$VM" --yes

Configuration: flag > environment (ARKER_API_KEY, ARKER_REGION, ARKER_PROVIDER,
ARKER_BASE_URL) > ~/.config/arker/config.json (see: arker config --help).

Exit codes: 0 ok, 1 failure, 2 usage error, 4 missing or rejected credentials,
5 not found; run and runs wait exit with the remote exit code.`;

/**
 * Builds the `arker` command tree. Output goes through `context.io`; commander never
 * exits the process (errors are thrown and mapped to exit codes by `runCli`).
 */
export function buildProgram(context: CommandContext): Command {
  const program = new Command("arker")
    .description("Drive Arker VMs from a shell: fork, run, move files, mount filesystems.")
    .version(CLI_VERSION, "-V, --version", "print the version")
    .option("--api-key <key>", "API key (default: ARKER_API_KEY, then the config file)")
    .option(
      "--region <region>",
      "region, e.g. us-west-2 (default: ARKER_REGION, then the config file)",
    )
    .option("--provider <provider>", "aws or aws-burst (default: ARKER_PROVIDER, then aws)")
    .option(
      "--base-url <url>",
      "send every call here, e.g. an `arker dev` server (default: ARKER_BASE_URL)",
    )
    .option("--json", "print one JSON document on stdout")
    .option("--debug", "trace every HTTP call on stderr (the key is redacted)")
    .option("--no-color", "never colour the output (NO_COLOR works too)")
    .showHelpAfterError("(add --help for usage)")
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.io.stdout.write(text),
      writeErr: (text) => context.io.stderr.write(text),
      outputError: (text, write) =>
        write(context.output.scrub(`arker: usage: ${text.replace(/^error: /, "")}`)),
    })
    .addHelpText("after", ROOT_HELP);
  context.attach(program);
  registerDefinitions(program, COMMANDS, context);
  return program;
}
