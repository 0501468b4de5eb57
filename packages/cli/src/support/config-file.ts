import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { CliError, EXIT_CODES, UsageError } from "./errors";

/** Unix modes mean nothing on Windows; its ACLs are left alone. */
const IS_WINDOWS = process.platform === "win32";

/** The keys the config file may hold. */
export const CONFIG_KEYS = ["apiKey", "region", "provider", "baseUrl"] as const;

/** One key of the config file. */
export type ConfigKey = (typeof CONFIG_KEYS)[number];

/** The contents of the config file: every key optional. */
export type ConfigValues = Partial<Record<ConfigKey, string>>;

/**
 * The environment variable each key falls back to — the same names the SDK reads
 * (`ENV` in `@arker-ai/core`), repeated here so that `--help` never loads the SDK.
 */
export const CONFIG_ENV: Readonly<Record<ConfigKey, string>> = {
  apiKey: "ARKER_API_KEY",
  region: "ARKER_REGION",
  provider: "ARKER_PROVIDER",
  baseUrl: "ARKER_BASE_URL",
};

/** Where a setting came from, highest precedence first. */
export type SettingSource = "flag" | "env" | "file" | "unset";

/** One resolved setting. */
export interface ResolvedSetting {
  /** The value, or `undefined` when unset everywhere. */
  value: string | undefined;
  /** Which layer supplied it. */
  source: SettingSource;
}

/** True when `key` is one of {@link CONFIG_KEYS}. */
export function isConfigKey(key: string): key is ConfigKey {
  return (CONFIG_KEYS as readonly string[]).includes(key);
}

/** Checks a key name given on the command line; a usage error lists the valid ones. */
export function parseConfigKey(key: string): ConfigKey {
  if (isConfigKey(key)) return key;
  throw new UsageError(`unknown config key "${key}"; expected one of ${CONFIG_KEYS.join(", ")}`);
}

/**
 * Reads the config file. A missing file is an empty config; a file that is not a JSON
 * object fails with `config_invalid` (exit 1). Unknown keys and non-string values are
 * ignored.
 */
export async function readConfigFile(path: string): Promise<ConfigValues> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (isErrnoException(error) && error.code === "ENOENT") return {};
    throw new CliError("config_unreadable", `cannot read ${path}: ${errorMessage(error)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliError("config_invalid", `${path} is not valid JSON`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new CliError("config_invalid", `${path} must hold a JSON object`);
  }
  const values: ConfigValues = {};
  for (const key of CONFIG_KEYS) {
    const value = (parsed as Record<string, unknown>)[key];
    if (typeof value === "string" && value.trim() !== "") values[key] = value;
  }
  return values;
}

/**
 * Writes the config file atomically, since it may hold the API key: a temp file created
 * exclusively (a random name, `wx`: never through a planted file or link) with mode
 * 0600, renamed over the file, in a directory set to 0700 (also when it existed).
 */
export async function writeConfigFile(path: string, values: ConfigValues): Promise<void> {
  const ordered: ConfigValues = {};
  for (const key of CONFIG_KEYS) if (values[key] !== undefined) ordered[key] = values[key];
  const temporary = `${path}.${randomBytes(8).toString("hex")}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    // Best effort: a directory of someone else's (ARKER_CONFIG_DIR=/tmp) cannot be
    // changed, and the file itself is 0600 anyway.
    if (!IS_WINDOWS) await chmod(dirname(path), 0o700).catch(() => {});
    await writeFile(temporary, `${JSON.stringify(ordered, null, 2)}\n`, {
      mode: 0o600,
      flag: "wx",
    });
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw new CliError(
      "config_unwritable",
      `cannot write ${path}: ${errorMessage(error)}`,
      EXIT_CODES.failure,
    );
  }
}

/**
 * What is wrong with the config file's permissions, if anything: like ssh with a private
 * key, a file others may read or write gets a warning (it may hold the API key).
 * `undefined` when the file is private, missing, or on Windows.
 */
export async function configPermissionProblem(path: string): Promise<string | undefined> {
  if (IS_WINDOWS) return undefined;
  let mode: number;
  try {
    mode = (await stat(path)).mode & 0o777;
  } catch {
    return undefined;
  }
  if ((mode & 0o077) === 0) return undefined;
  return `${path} is accessible by others (mode ${mode.toString(8).padStart(4, "0")}); run: chmod 600 ${path}`;
}

/**
 * Resolves one setting with the CLI's precedence: flag, then environment variable,
 * then config file. Empty strings count as unset.
 */
export function resolveSetting(
  key: ConfigKey,
  flags: ConfigValues,
  env: Record<string, string | undefined>,
  file: ConfigValues,
): ResolvedSetting {
  const fromFlag = nonEmpty(flags[key]);
  if (fromFlag !== undefined) return { value: fromFlag, source: "flag" };
  const fromEnv = nonEmpty(env[CONFIG_ENV[key]]);
  if (fromEnv !== undefined) return { value: fromEnv, source: "env" };
  const fromFile = nonEmpty(file[key]);
  if (fromFile !== undefined) return { value: fromFile, source: "file" };
  return { value: undefined, source: "unset" };
}

/** Resolves every key; see {@link resolveSetting}. */
export function resolveSettings(
  flags: ConfigValues,
  env: Record<string, string | undefined>,
  file: ConfigValues,
): Record<ConfigKey, ResolvedSetting> {
  return {
    apiKey: resolveSetting("apiKey", flags, env, file),
    region: resolveSetting("region", flags, env, file),
    provider: resolveSetting("provider", flags, env, file),
    baseUrl: resolveSetting("baseUrl", flags, env, file),
  };
}

/**
 * Masks a secret for display: `ark_live_0123456789abcdef` → `ark_…cdef`. Keys shorter
 * than 12 characters show no characters at all (`…`), so a short key never leaks
 * more than a third of itself.
 */
export function maskSecret(secret: string): string {
  if (secret.length < 12) return "…";
  const prefix = secret.startsWith("ark_") ? "ark_" : "";
  return `${prefix}…${secret.slice(-4)}`;
}

/** A value as it may be displayed: the API key masked, everything else as is. */
export function displayValue(key: ConfigKey, value: string | undefined): string | null {
  if (value === undefined) return null;
  return key === "apiKey" ? maskSecret(value) : value;
}

/** Light checks of a value before it is stored; the SDK does the full validation. */
export function validateConfigValue(key: ConfigKey, value: string): string {
  const trimmed = value.trim();
  if (trimmed === "") throw new UsageError(`${key} must not be empty`);
  if (key === "baseUrl") {
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      throw new UsageError(`baseUrl must be an absolute http(s) URL; got "${trimmed}"`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new UsageError(`baseUrl must be an absolute http(s) URL; got "${trimmed}"`);
    }
  }
  if (key === "provider" && trimmed !== "aws" && trimmed !== "aws-burst") {
    throw new UsageError(`provider must be aws or aws-burst; got "${trimmed}"`);
  }
  if (key === "apiKey" && /\s/.test(trimmed)) {
    throw new UsageError("apiKey must not contain whitespace");
  }
  return trimmed;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && "code" in error;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
