/**
 * The `--json` documents the CLI builds itself. Resource objects (VMs, sessions, syncs,
 * filesystems, run summaries) are printed as the API sends them (snake_case, what the
 * SDK returns); run results follow the SDK's camelCase `RunResult`/`RunDetails`, with
 * output bytes turned into text.
 */

/** How output bytes are carried in JSON: as UTF-8 text when they are valid UTF-8, else base64. */
export type BytesEncoding = "utf-8" | "base64";

/** Output bytes as JSON text. */
export interface EncodedBytes {
  /** The bytes as UTF-8 text or base64. */
  text: string;
  /** Which of the two `text` is. */
  encoding: BytesEncoding;
}

// `ignoreBOM` keeps a leading byte-order mark in the text: the JSON must carry every byte.
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Encodes bytes for JSON: UTF-8 text when they decode cleanly, else base64. */
export function encodeBytes(bytes: Uint8Array): EncodedBytes {
  try {
    return { text: STRICT_UTF8.decode(bytes), encoding: "utf-8" };
  } catch {
    return { text: Buffer.from(bytes).toString("base64"), encoding: "base64" };
  }
}

/** The `--json` document of a finished run (`arker run`, `runs get`, `runs wait`). */
export interface RunDocument {
  /** The run id (`run_…`). */
  runId: string;
  /** `completed`, `failed`, `cancelled` (or `running` for `runs get` of a live run). */
  state: string;
  /** The remote exit code; `null` while running. */
  exitCode: number | null;
  /** Why the run failed (`timeout`, `host_failed`, …), else `null`. */
  failReason: string | null;
  /** The session the run ran in. */
  sessionId: string;
  /** Remote stdout, encoded as `stdoutEncoding` says. */
  stdout: string;
  /** `utf-8` or `base64`. */
  stdoutEncoding: BytesEncoding;
  /** Remote stderr, encoded as `stderrEncoding` says. */
  stderr: string;
  /** `utf-8` or `base64`. */
  stderrEncoding: BytesEncoding;
  /** The command string (for `runs get` / `runs wait`, and `run` once it had to wait). */
  command?: string;
  /** How many times a durable run was resumed on a healthy host. */
  retryCount?: number;
  /** When the run started (RFC 3339). */
  startedAt?: string;
  /** When the run ended (RFC 3339), `null` while running. */
  completedAt?: string | null;
}

/** The fields of the SDK's `CompletedRun` / `RunDetails` the documents read. */
export interface RunLike {
  runId: string;
  state: string;
  exitCode: number | null;
  failReason: string | null;
  sessionId: string;
  stdout: Uint8Array;
  stderr: Uint8Array;
  command?: string;
  retryCount?: number;
  startedAt?: string;
  completedAt?: string | null;
}

/** Builds a {@link RunDocument}. */
export function runDocument(run: RunLike): RunDocument {
  const stdout = encodeBytes(run.stdout);
  const stderr = encodeBytes(run.stderr);
  const document: RunDocument = {
    runId: run.runId,
    state: run.state,
    exitCode: run.exitCode,
    failReason: run.failReason,
    sessionId: run.sessionId,
    stdout: stdout.text,
    stdoutEncoding: stdout.encoding,
    stderr: stderr.text,
    stderrEncoding: stderr.encoding,
  };
  if (run.command !== undefined) document.command = run.command;
  if (run.retryCount !== undefined) document.retryCount = run.retryCount;
  if (run.startedAt !== undefined) document.startedAt = run.startedAt;
  if (run.completedAt !== undefined) document.completedAt = run.completedAt;
  return document;
}
