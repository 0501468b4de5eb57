import type { ArkerClientOptions, ArkerLogger } from "@arker-ai/core";
import { LOG_LEVELS, type LogLevel, parseLogLevel } from "@arker-ai/core/contract";
import type { Command } from "commander";
import type { CliIo } from "../support/cli-io";
import {
  type ConfigKey,
  type ConfigValues,
  configPermissionProblem,
  type ResolvedSetting,
  readConfigFile,
  resolveSettings,
  writeConfigFile,
} from "../support/config-file";
import {
  type ConfigLocation,
  configFileToRead,
  configLocation,
  fileExists,
  removeLegacyFile,
} from "../support/config-location";
import { EXIT_CODES, MissingConfigurationError, STORE_KEY_COMMAND } from "../support/errors";
import { Output } from "../support/output";
import { createSdkClient, type SdkClient } from "./sdk-client";

/** The options every command accepts (declared on the root command). */
export interface GlobalOptions {
  /** `--api-key`. */
  apiKey?: string;
  /** `--region`. */
  region?: string;
  /** `--provider`. */
  provider?: string;
  /** `--base-url`. */
  baseUrl?: string;
  /** `--json`: print one JSON document on stdout. */
  json?: boolean;
  /** `--debug`: the SDK's wire trace on stderr. */
  debug?: boolean;
  /** `false` after `--no-color`. */
  color?: boolean;
}

/** The SDK log level when `ARKER_LOG` is unset: warnings reach the terminal. */
const DEFAULT_LOG_LEVEL: LogLevel = "warn";

/**
 * What command actions share: the io, the parsed global options, the output writer,
 * the resolved settings and one lazily created SDK client (closed by `runCli`).
 */
export class CommandContext {
  /** The process surface. */
  readonly io: CliIo;
  /** Set by commands that exit with a code of their own (`run`, `runs wait`). */
  exitCode: number = EXIT_CODES.ok;
  #program: Command | null = null;
  #output: Output | null = null;
  #file: ConfigValues | null = null;
  #readFrom: string | null = null;
  #arker: SdkClient | null = null;
  readonly #vmIds = new Map<string, string>();
  /** The command line as given (after the program name), for hints that need its shape. */
  argv: readonly string[] = [];
  readonly #clients: SdkClient[] = [];
  readonly #extraSecrets: string[] = [];
  readonly #warned = new Set<string>();

  constructor(io: CliIo) {
    this.io = io;
  }

  /** Binds the root command, whose options are the global flags. */
  attach(program: Command): void {
    this.#program = program;
  }

  /** The root command (for `arker completion` and the `--json` help document). */
  get program(): Command {
    if (this.#program === null) throw new Error("the root command is not attached yet");
    return this.#program;
  }

  /** The global flags as parsed (empty before parsing). */
  get globals(): GlobalOptions {
    return this.#program?.opts<GlobalOptions>() ?? {};
  }

  /** The output writer (created on first use, after parsing). */
  get output(): Output {
    this.#output ??= new Output(
      this.io,
      { json: this.globals.json === true, colour: this.globals.color !== false },
      () => this.secrets(),
    );
    return this.#output;
  }

  /** Where the config file is written, and the legacy file (see `configLocation`). */
  get configLocation(): ConfigLocation {
    return configLocation(this.io.env);
  }

  /**
   * The config file in effect: the one read by {@link configFile} (the legacy
   * `~/.arker/config.json` while it is the only one), else the one written.
   */
  get configPath(): string {
    return this.#readFrom ?? this.configLocation.path;
  }

  /** The contents of the config file (read once). */
  async configFile(): Promise<ConfigValues> {
    if (this.#file === null) {
      const location = this.configLocation;
      const path = await configFileToRead(location);
      this.#file = await readConfigFile(path);
      this.#readFrom = path;
      const problem = await configPermissionProblem(path);
      if (problem !== undefined) await this.warn(problem);
      if (path === location.path && location.legacyPath !== null) {
        if (await fileExists(location.legacyPath)) {
          await this.warn(`${location.legacyPath} is ignored since ${path} exists; remove it`);
        }
      }
    }
    return this.#file;
  }

  /**
   * Writes the config file in the XDG folder. When the values came from the legacy
   * `~/.arker/config.json`, that file is removed afterwards (migrated: no second copy of
   * the key stays behind) and a line on stderr says so. Resolves with the path written.
   */
  async saveConfig(values: ConfigValues): Promise<string> {
    const location = this.configLocation;
    const readFrom = this.#readFrom;
    await writeConfigFile(location.path, values);
    this.#file = values;
    this.#readFrom = location.path;
    if (readFrom !== null && readFrom === location.legacyPath) {
      await removeLegacyFile(readFrom);
      await this.output.message(`arker: moved the config from ${readFrom} to ${location.path}`);
    }
    return location.path;
  }

  /** Writes `arker: warning: <text>` on stderr, once per text (secrets scrubbed). */
  async warn(text: string): Promise<void> {
    if (this.#warned.has(text)) return;
    this.#warned.add(text);
    await this.output.message(`arker: warning: ${text}`);
  }

  /** Every setting resolved with the precedence flag > env > file. */
  async settings(): Promise<Record<ConfigKey, ResolvedSetting>> {
    const globals = this.globals;
    if (globals.apiKey !== undefined) {
      await this.warn(
        `--api-key puts the key in your shell history and the process list; prefer ARKER_API_KEY or: ${STORE_KEY_COMMAND}`,
      );
    }
    const flags: ConfigValues = {
      apiKey: globals.apiKey,
      region: globals.region,
      provider: globals.provider,
      baseUrl: globals.baseUrl,
    };
    return resolveSettings(flags, this.io.env, await this.configFile());
  }

  /** Every API key the CLI knows of, so no message can ever print one. */
  secrets(): string[] {
    return [
      this.globals.apiKey,
      this.io.env.ARKER_API_KEY,
      this.#file?.apiKey,
      ...this.#extraSecrets,
    ].filter((value): value is string => typeof value === "string" && value.trim().length >= 4);
  }

  /**
   * The SDK client, created on first use with the resolved settings. A missing key or
   * region fails here, before any request, with exit 4 and a hint.
   */
  async arker(): Promise<SdkClient> {
    if (this.#arker) return this.#arker;
    const settings = await this.settings();
    if (settings.apiKey.value === undefined) throw new MissingConfigurationError("apiKey");
    this.#arker = await this.clientWith(settings.apiKey.value);
    return this.#arker;
  }

  /** A VM argument as an id: `vm_…` as it is, a name looked up in the org (see vm-names). */
  async vmId(reference: string): Promise<string> {
    const known = this.#vmIds.get(reference);
    if (known !== undefined) return known;
    const { resolveVmId } = await import("../support/vm-names");
    const id = await resolveVmId(await this.arker(), reference);
    this.#vmIds.set(reference, id);
    return id;
  }

  /**
   * An SDK client with the resolved settings but `apiKey` (`arker login` checks a key
   * before storing it). The key joins the secrets no message may print. Closed by
   * {@link close} like the shared client.
   */
  async clientWith(apiKey: string): Promise<SdkClient> {
    this.#extraSecrets.push(apiKey);
    const settings = await this.settings();
    if (settings.region.value === undefined && settings.baseUrl.value === undefined) {
      throw new MissingConfigurationError("region");
    }
    const options: ArkerClientOptions = {
      apiKey,
      region: settings.region.value,
      provider: settings.provider.value,
      baseUrl: settings.baseUrl.value,
      logLevel: this.logLevel(),
      logger: this.logger(),
      // Fallbacks (ARKER_CONTROL_BASE_URL, …) come from the CLI's env, never process.env.
      env: this.io.env,
    };
    const client = await createSdkClient(options);
    this.#clients.push(client);
    return client;
  }

  /** Closes every SDK client created (their keep-alive pools would hold the process). */
  async close(): Promise<void> {
    const clients = this.#clients.splice(0);
    this.#arker = null;
    await Promise.all(clients.map((client) => client.close()));
  }

  /**
   * `--debug`, else `ARKER_LOG` read by the contract's `parseLogLevel`, else `warn`. An
   * unknown `ARKER_LOG` means `off`, as in the SDK, with one warning line on stderr.
   */
  private logLevel(): LogLevel {
    if (this.globals.debug) return "debug";
    const raw = this.io.env.ARKER_LOG;
    if (raw === undefined || raw.trim() === "") return DEFAULT_LOG_LEVEL;
    const level = parseLogLevel(raw);
    if (level !== undefined) return level;
    void this.warn(
      `ARKER_LOG=${JSON.stringify(raw)} is not one of ${LOG_LEVELS.join(", ")}; SDK logging is off`,
    );
    return "off";
  }

  private logger(): ArkerLogger {
    const write = (message: string) => {
      this.io.stderr.write(`${this.output.scrub(message)}\n`);
    };
    return { debug: write, info: write, warn: write, error: write };
  }
}
