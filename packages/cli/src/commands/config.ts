import { type Definition, defineCommand, defineGroup } from "../framework/define-command";
import { readAll } from "../support/cli-io";
import {
  CONFIG_ENV,
  CONFIG_KEYS,
  type ConfigKey,
  displayValue,
  parseConfigKey,
  type SettingSource,
  validateConfigValue,
} from "../support/config-file";
import { EXIT_CODES, STORE_KEY_COMMAND } from "../support/errors";
import { formatTable } from "../support/output";

const KEY_ARGUMENT = { name: "key", description: CONFIG_KEYS.join(" | ") } as const;

const get = defineCommand({
  name: "get",
  summary: "print the effective value of a key (the API key masked); exit 1 when unset",
  examples: ["arker config get region", "arker config get apiKey --json"],
  arguments: [KEY_ARGUMENT],
  action: async ({ args }: { args: { key: string }; options: unknown }, context) => {
    const key = parseConfigKey(args.key);
    const setting = (await context.settings())[key];
    return { key, value: displayValue(key, setting.value), source: setting.source };
  },
  render: (shown) =>
    shown.value === null
      ? { messages: [`arker: ${shown.key} is not set`] }
      : { data: `${shown.value}\n` },
  exitCode: (shown) => (shown.value === null ? EXIT_CODES.failure : EXIT_CODES.ok),
});

const set = defineCommand({
  name: "set",
  summary: "store a key in the config file (value - reads stdin)",
  examples: ["arker config set region us-west-2", "arker config set baseUrl http://127.0.0.1:8787"],
  arguments: [
    KEY_ARGUMENT,
    { name: "value", description: "the value, or - to read it from stdin" },
  ],
  action: async ({ args }: { args: { key: string; value: string }; options: unknown }, context) => {
    const key = parseConfigKey(args.key);
    const fromStdin = args.value === "-";
    const input = fromStdin ? (await readAll(context.io.stdin)).toString("utf8") : args.value;
    if (key === "apiKey" && !fromStdin) {
      await context.warn(
        `the key is now in your shell history and was in the process list; next time: ${STORE_KEY_COMMAND}`,
      );
    }
    const value = validateConfigValue(key, input);
    const path = await context.saveConfig({ ...(await context.configFile()), [key]: value });
    return { key, value: displayValue(key, value), path };
  },
  render: (stored) => ({ messages: [`set ${stored.key} = ${stored.value} in ${stored.path}`] }),
});

const unset = defineCommand({
  name: "unset",
  summary: "remove a key from the config file",
  examples: ["arker config unset apiKey"],
  arguments: [KEY_ARGUMENT],
  action: async ({ args }: { args: { key: string }; options: unknown }, context) => {
    const key = parseConfigKey(args.key);
    const values = { ...(await context.configFile()) };
    const removed = values[key] !== undefined;
    delete values[key];
    const path = removed ? await context.saveConfig(values) : context.configPath;
    return { key, removed, path };
  },
  render: (unset) => ({
    messages: [unset.removed ? `removed ${unset.key}` : `${unset.key} was not set in the file`],
  }),
});

/** One row of `arker config list`. */
interface ListedSetting {
  key: ConfigKey;
  value: string | null;
  source: SettingSource;
}

const list = defineCommand({
  name: "list",
  summary: "every key with its effective value and where it came from",
  examples: ["arker config list", "arker --region eu-west-1 config list --json"],
  action: async (_input: { args: unknown; options: unknown }, context) => {
    const settings = await context.settings();
    const rows: ListedSetting[] = CONFIG_KEYS.map((key) => ({
      key,
      value: displayValue(key, settings[key].value),
      source: settings[key].source,
    }));
    return { path: context.configPath, rows };
  },
  json: ({ path, rows }) => ({
    path,
    values: Object.fromEntries(rows.map(({ key, value, source }) => [key, { value, source }])),
  }),
  render: ({ rows }, styles) => ({
    data: formatTable(
      rows,
      [
        { header: "key", value: (row) => row.key },
        { header: "value", value: (row) => row.value },
        { header: "source", value: (row) => row.source },
      ],
      styles.out,
    ),
  }),
});

const path = defineCommand({
  name: "path",
  summary: "print the path of the config file in effect",
  examples: ['cat "$(arker config path)"'],
  action: async (_input: { args: unknown; options: unknown }, context) => {
    await context.configFile();
    return { path: context.configPath };
  },
  render: (shown) => ({ data: `${shown.path}\n` }),
});

/** `config get|set|unset|list|path`. */
export const CONFIG_COMMANDS: readonly Definition[] = [
  defineGroup({
    name: "config",
    summary: "read and write the config file (apiKey, region, provider, baseUrl)",
    examples: [
      "arker config set region us-west-2",
      'printf %s "$KEY" | arker config set apiKey -      # keeps the key out of shell history',
      "arker config get apiKey                           # ark_…1234 (never the full key)",
      "arker config list --json",
      "arker config unset baseUrl",
    ],
    notes: `Keys: ${CONFIG_KEYS.join(", ")}. Precedence: flag > environment (${Object.values(CONFIG_ENV).join(", ")}) > file.
The file is $XDG_CONFIG_HOME/arker/config.json (default ~/.config/arker/config.json;
$ARKER_CONFIG_DIR/config.json when set), mode 0600. The old ~/.arker/config.json is still
read while it is the only one, and moved on the next write.`,
    commands: [get, set, unset, list, path],
  }),
];
