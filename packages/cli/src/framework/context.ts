import { LOG_LEVELS, type LogLevel, parseLogLevel } from "@arker-ai/core/contract";
import type { Arker, ArkerLogger, ArkerOptions } from "@arker-ai/sdk";
import type { Command } from "commander";
import type { CliIo } from "../support/cli-io";
import {
  type ConfigKey,
  type ConfigValues,
  configFilePath,
  configPermissionProblem,
  type ResolvedSetting,
  readConfigFile,
  resolveSettings,
} from "../support/config-file";
import { EXIT_CODES, MissingConfigurationError, STORE_KEY_COMMAND } from "../support/errors";
import { Output } from "../support/output";

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
  #arker: Arker | null = null;
  readonly #warned = new Set<string>();

  constructor(io: CliIo) {
    this.io = io;
  }

  /** Binds the root command, whose options are the global flags. */
  attach(program: Command): void {
    this.#program = program;
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

  /** The config file path (see `configFilePath`). */
  get configPath(): string {
    return configFilePath(this.io.env);
  }

  /** The contents of the config file (read once). */
  async configFile(): Promise<ConfigValues> {
    if (this.#file === null) {
      this.#file = await readConfigFile(this.configPath);
      const problem = await configPermissionProblem(this.configPath);
      if (problem !== undefined) await this.warn(problem);
    }
    return this.#file;
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
    return [this.globals.apiKey, this.io.env.ARKER_API_KEY, this.#file?.apiKey].filter(
      (value): value is string => typeof value === "string" && value.trim().length >= 4,
    );
  }

  /**
   * The SDK client, created on first use with the resolved settings. A missing key or
   * region fails here, before any request, with exit 4 and a hint.
   */
  async arker(): Promise<Arker> {
    if (this.#arker) return this.#arker;
    const settings = await this.settings();
    if (settings.apiKey.value === undefined) throw new MissingConfigurationError("apiKey");
    if (settings.region.value === undefined && settings.baseUrl.value === undefined) {
      throw new MissingConfigurationError("region");
    }
    const { Arker } = await import("@arker-ai/sdk");
    const options: ArkerOptions = {
      apiKey: settings.apiKey.value,
      region: settings.region.value,
      provider: settings.provider.value,
      baseUrl: settings.baseUrl.value,
      logLevel: this.logLevel(),
      logger: this.logger(),
      // Fallbacks (ARKER_CONTROL_BASE_URL, …) come from the CLI's env, never process.env.
      env: this.io.env,
    };
    this.#arker = new Arker(options);
    return this.#arker;
  }

  /** Closes the SDK client if one was created (its keep-alive pool would hold the process). */
  async close(): Promise<void> {
    const arker = this.#arker;
    this.#arker = null;
    await arker?.close();
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
