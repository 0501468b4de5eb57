import type { CommandContext } from "../framework/context";
import { type Definition, defineCommand } from "../framework/define-command";
import { readAll } from "../support/cli-io";
import { displayValue, validateConfigValue } from "../support/config-file";
import { CliError, EXIT_CODES, isArkerError, UsageError } from "../support/errors";
import { askLine } from "../support/prompt";

/** What `arker login` stored. */
interface LoggedIn {
  /** The key, masked (`ark_…1234`). */
  apiKey: string | null;
  /** The config file written. */
  path: string;
}

/** The key from a hidden prompt on a terminal, else all of stdin. */
async function readKey(context: CommandContext): Promise<string> {
  const text =
    context.io.stdinIsTTY === true
      ? await askLine(context.io, "Arker API key: ", { hidden: true })
      : (await readAll(context.io.stdin)).toString("utf8");
  if (text === null || text.trim() === "") {
    throw new UsageError("no API key given; type it at the prompt or pipe it on stdin");
  }
  return validateConfigValue("apiKey", text);
}

/** One call with the new key (the first VM, if any); a rejected key is never stored. */
async function checkKey(context: CommandContext, apiKey: string): Promise<void> {
  const client = await context.clientWith(apiKey);
  try {
    await client.listVms({ limit: 1 });
  } catch (error) {
    const rejected =
      isArkerError(error) && (error.code === "unauthorized" || error.code === "forbidden");
    if (!rejected) throw error;
    throw new CliError(
      error.code,
      `the server rejected the key (${error.status}${error.requestId ? `, request ${error.requestId}` : ""}); it was not stored`,
      EXIT_CODES.auth,
      "hint: copy the key again from the Arker console; keys start with ark_",
    );
  }
}

const login = defineCommand({
  name: "login",
  summary: "check an API key with one call and store it in the config file (0600)",
  examples: [
    "arker login                                    # asks for the key (hidden input)",
    'printf %s "$ARKER_KEY" | arker login             # from stdin, e.g. in CI',
    "arker --region eu-west-1 login",
  ],
  notes: `The key is checked by listing at most one VM (the control plane, or the base URL);
a key the server rejects is not stored (exit 4). Any other failure (network, server) is
reported and nothing is stored either.`,
  action: async (_input: { args: unknown; options: unknown }, context): Promise<LoggedIn> => {
    const apiKey = await readKey(context);
    await checkKey(context, apiKey);
    const path = await context.saveConfig({ ...(await context.configFile()), apiKey });
    return { apiKey: displayValue("apiKey", apiKey), path };
  },
  render: (stored) => ({ messages: [`logged in: stored ${stored.apiKey} in ${stored.path}`] }),
});

/** `login`. */
export const LOGIN_COMMANDS: readonly Definition[] = [login];
