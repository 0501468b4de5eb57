/** The documented exit codes of `arker` (`run` and `runs wait` exit with the remote code). */
export const EXIT_CODES = {
  /** Success. */
  ok: 0,
  /** Any failure not listed below (server error, network error, conflict…). */
  failure: 1,
  /** Bad command line: unknown command or flag, missing or malformed argument. */
  usage: 2,
  /** No API key or region configured, or the key was rejected (`unauthorized`, `forbidden`). */
  auth: 4,
  /** The VM, run, session, filesystem, sync or file does not exist (`not_found`). */
  notFound: 5,
  /** `arker runs wait --timeout` ran out (code `timeout`; 124 as GNU `timeout` uses). */
  timeout: 124,
  /** Interrupted by SIGINT. */
  interrupted: 130,
} as const;

/**
 * How to store the key without putting it in shell history or the process list:
 * `arker login` (a hidden prompt, or stdin; the hints and warnings all point to it).
 */
export const STORE_KEY_COMMAND = "arker login";

/** The one-line hint printed under a missing-key error. */
export const API_KEY_HINT = `hint: set ARKER_API_KEY or run: ${STORE_KEY_COMMAND}`;
/** The one-line hint printed under a missing-region error. */
export const REGION_HINT =
  "hint: set ARKER_REGION (or ARKER_BASE_URL) or run: arker config set region <region>";

/** An error of the command line itself (exit 2), raised before anything is sent. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/**
 * An error the CLI raises itself with an exit code of its choosing, e.g. an unreadable
 * local file (`local_io`, exit 1) or a missing optional package.
 */
export class CliError extends Error {
  override readonly name: string = "CliError";
  /** The code printed after `arker:`. */
  readonly code: string;
  /** The process exit code. */
  readonly exitCode: number;
  /** An optional line printed under the error. */
  readonly hint: string | null;

  constructor(code: string, message: string, exitCode: number = EXIT_CODES.failure, hint?: string) {
    super(message);
    this.code = code;
    this.exitCode = exitCode;
    this.hint = hint ?? null;
  }
}

/** A setting the client cannot go without. */
export type RequiredSetting = "apiKey" | "region";

/**
 * No API key, or neither a region nor a base URL, after the CLI resolved flag > env >
 * file itself — raised before the SDK is loaded, so the CLI never has to recognise the
 * SDK's own missing-configuration error by its text. Exit 4, with a hint.
 */
export class MissingConfigurationError extends CliError {
  /** Which setting is missing. */
  readonly setting: RequiredSetting;
  override readonly name: string = "MissingConfigurationError";

  constructor(setting: RequiredSetting) {
    super(
      "bad_request",
      setting === "apiKey"
        ? "apiKey is required; pass --api-key or set ARKER_API_KEY"
        : "region or baseUrl is required; pass --region or set ARKER_REGION",
      EXIT_CODES.auth,
      setting === "apiKey" ? API_KEY_HINT : REGION_HINT,
    );
    this.setting = setting;
  }
}

/** The fields of an `ArkerError` the CLI reads, checked structurally (see {@link isArkerError}). */
export interface ArkerErrorLike {
  code: string;
  message: string;
  status: number;
  requestId: string | null;
}

const ARKER_ERROR_BRAND = Symbol.for("arker.error");

/**
 * True for an `ArkerError` from any installed copy of `@arker-ai/core`. Checks the
 * brand instead of importing the SDK, so `arker --help` never loads it.
 */
export function isArkerError(value: unknown): value is ArkerErrorLike {
  return typeof value === "object" && value !== null && ARKER_ERROR_BRAND in value;
}

/** Maps any thrown value to the documented exit code. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return EXIT_CODES.usage;
  if (error instanceof CliError) return error.exitCode;
  if (isArkerError(error)) {
    if (error.code === "unauthorized" || error.code === "forbidden") return EXIT_CODES.auth;
    if (error.code === "not_found") return EXIT_CODES.notFound;
    if (error.code === "aborted" && error.status === 0) return EXIT_CODES.interrupted;
    if (error.code === "timeout" && error.status === 0) return EXIT_CODES.timeout;
  }
  return EXIT_CODES.failure;
}

/** The machine-readable description of a failure, as printed under `--json`. */
export interface ErrorDocument {
  error: { code: string; message: string; status: number | null; requestId: string | null };
}

/** Describes a failure: its code, its message without the code prefix, status and request id. */
export function describeError(error: unknown): ErrorDocument["error"] {
  if (error instanceof UsageError) {
    return { code: "usage", message: error.message, status: null, requestId: null };
  }
  if (error instanceof CliError) {
    return { code: error.code, message: error.message, status: null, requestId: null };
  }
  if (isArkerError(error)) {
    // ArkerError.message is "<code>: <message>" (the 0.5 SDK shape); print the code once.
    const prefix = `${error.code}: `;
    const message = error.message.startsWith(prefix)
      ? error.message.slice(prefix.length)
      : error.message;
    return { code: error.code, message, status: error.status, requestId: error.requestId };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: "internal", message, status: null, requestId: null };
}

/**
 * The stderr line for a failure: `arker: <code>: <message> (request <id>)`, the request
 * part only when the server sent one.
 */
export function formatError(error: unknown): string {
  const { code, message, requestId } = describeError(error);
  return `arker: ${code}: ${message}${requestId ? ` (request ${requestId})` : ""}`;
}

/** The hint line for a failure, or `null` when there is nothing useful to add. */
export function hintFor(error: unknown): string | null {
  if (error instanceof CliError) return error.hint;
  if (error instanceof UsageError) return null;
  if (isArkerError(error) && error.code === "unauthorized") {
    return `hint: the API key was rejected; set ARKER_API_KEY or run: ${STORE_KEY_COMMAND}`;
  }
  if (isArkerError(error) && error.code === "forbidden") {
    return "hint: the API key's organisation may not do this";
  }
  return null;
}

/**
 * Clamps a remote exit code to what a process can return: 0–255 as is, anything else
 * (negative, huge, missing) becomes 1.
 */
export function processExitCode(remote: number | null | undefined): number {
  if (typeof remote !== "number" || !Number.isInteger(remote) || remote < 0 || remote > 255) {
    return EXIT_CODES.failure;
  }
  return remote;
}
