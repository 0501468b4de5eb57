import type { Command } from "commander";
import { readAll } from "../cli-io";
import {
  CONFIG_ENV,
  CONFIG_KEYS,
  type ConfigKey,
  displayValue,
  parseConfigKey,
  validateConfigValue,
  writeConfigFile,
} from "../config-file";
import type { CommandContext } from "../context";
import { EXIT_CODES } from "../errors";
import { formatTable } from "../output";

const EXAMPLES = `
Examples:
  $ arker config set region us-west-2
  $ printf %s "$KEY" | arker config set apiKey -      # keeps the key out of shell history
  $ arker config get apiKey                           # ark_…1234 (never the full key)
  $ arker config list --json
  $ arker config unset baseUrl

Keys: ${CONFIG_KEYS.join(", ")}. Precedence: flag > environment (${Object.values(CONFIG_ENV).join(", ")}) > file.
The file is ~/.arker/config.json ($ARKER_CONFIG_DIR/config.json when set), mode 0600.`;

/** Registers `config get|set|unset|list|path`. */
export function registerConfigCommands(program: Command, context: CommandContext): void {
  const config = program
    .command("config")
    .description("read and write ~/.arker/config.json (apiKey, region, provider, baseUrl)")
    .addHelpText("after", EXAMPLES);

  config
    .command("get")
    .description("print the effective value of a key (the API key masked); exit 1 when unset")
    .argument("<key>", CONFIG_KEYS.join(" | "))
    .addHelpText(
      "after",
      "\nExamples:\n  $ arker config get region\n  $ arker config get apiKey --json",
    )
    .action(async (rawKey: string) => {
      const key = parseConfigKey(rawKey);
      const setting = (await context.settings())[key];
      const value = displayValue(key, setting.value);
      if (value === null) context.exitCode = EXIT_CODES.failure;
      if (context.output.json) {
        await context.output.document({ key, value, source: setting.source });
        return;
      }
      if (value === null) {
        await context.output.message(`arker: ${key} is not set`);
        return;
      }
      await context.output.data(`${value}\n`);
    });

  config
    .command("set")
    .description("store a key in the config file (value - reads stdin)")
    .argument("<key>", CONFIG_KEYS.join(" | "))
    .argument("<value>", "the value, or - to read it from stdin")
    .addHelpText(
      "after",
      "\nExamples:\n  $ arker config set region us-west-2\n  $ arker config set baseUrl http://127.0.0.1:8787",
    )
    .action(async (rawKey: string, rawValue: string) => {
      const key = parseConfigKey(rawKey);
      const input =
        rawValue === "-" ? (await readAll(context.io.stdin)).toString("utf8") : rawValue;
      const value = validateConfigValue(key, input);
      const values = { ...(await context.configFile()), [key]: value };
      await writeConfigFile(context.configPath, values);
      const shown = displayValue(key, value);
      if (context.output.json) {
        await context.output.document({ key, value: shown, path: context.configPath });
        return;
      }
      await context.output.message(`set ${key} = ${shown} in ${context.configPath}`);
    });

  config
    .command("unset")
    .description("remove a key from the config file")
    .argument("<key>", CONFIG_KEYS.join(" | "))
    .addHelpText("after", "\nExamples:\n  $ arker config unset apiKey")
    .action(async (rawKey: string) => {
      const key = parseConfigKey(rawKey);
      const values = { ...(await context.configFile()) };
      const removed = values[key] !== undefined;
      delete values[key];
      if (removed) await writeConfigFile(context.configPath, values);
      if (context.output.json) {
        await context.output.document({ key, removed, path: context.configPath });
        return;
      }
      await context.output.message(removed ? `removed ${key}` : `${key} was not set in the file`);
    });

  config
    .command("list")
    .description("every key with its effective value and where it came from")
    .addHelpText(
      "after",
      "\nExamples:\n  $ arker config list\n  $ arker --region eu-west-1 config list --json",
    )
    .action(async () => {
      const settings = await context.settings();
      const rows = CONFIG_KEYS.map((key: ConfigKey) => ({
        key,
        value: displayValue(key, settings[key].value),
        source: settings[key].source,
      }));
      if (context.output.json) {
        const values = Object.fromEntries(
          rows.map(({ key, value, source }) => [key, { value, source }]),
        );
        await context.output.document({ path: context.configPath, values });
        return;
      }
      await context.output.data(
        formatTable(
          rows,
          [
            { header: "key", value: (row) => row.key },
            { header: "value", value: (row) => row.value },
            { header: "source", value: (row) => row.source },
          ],
          context.output.out,
        ),
      );
    });

  config
    .command("path")
    .description("print the config file path")
    .addHelpText("after", '\nExamples:\n  $ cat "$(arker config path)"')
    .action(async () => {
      if (context.output.json) {
        await context.output.document({ path: context.configPath });
        return;
      }
      await context.output.data(`${context.configPath}\n`);
    });
}
