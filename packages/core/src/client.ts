import type { Dispatcher, WebSocket } from "undici";
import type { CallOptions } from "./call-options";
import {
  type ArkerClientOptions,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_TIMEOUT_MS,
  MAX_TIMEOUT_MS,
} from "./client-options";
import { ENV, resolveConnection } from "./config";
import { ROUTES, type RouteDefinition, type RouteName } from "./contract/routes";
import { AttemptDeadline, type AttemptTimer, callerSignalOnly } from "./deadline";
import { type Decoder, decodePage } from "./decode";
import {
  ArkerError,
  abortedError,
  badRequest,
  isRecord,
  malformedResponse,
  parseErrorBody,
  withIdempotencyKey,
} from "./errors";
import { newIdempotencyKey, validateIdempotencyKey } from "./idempotency";
import { type ArkerLogger, createRedactingLogger, resolveLogLevel, stderrLogger } from "./logger";
import { optionKeys, rejectUnknownOptions } from "./option-keys";
import { Page } from "./pagination";
import { createRedactor, type Redactor, redactedSnippet } from "./redact";
import type { RequestSpec } from "./request-spec";
import { discardBody, maxResponseBytesOr, readCappedBytes, readCappedText } from "./response-body";
import { headerValue, type ResponseHeaders, requestIdOf } from "./response-headers";
import {
  isRetryableResponse,
  parseRetryAfter,
  type RetryOptions,
  type RetryPolicy,
  resolveRetryPolicy,
  retryDelayMs,
} from "./retry";
import { LIST_ITEMS, type ListRouteName, type RouteInput, routeRequest } from "./route-call";
import { checkSignedUrl } from "./signed-url";
import { sleep } from "./sleep";
import { loadUndici, type UndiciModule, undiciIfLoaded } from "./undici-loader";
import { isSuccessStatus, malformedHttpError, unexpectedStatusError } from "./unexpected-answer";
import { connectOnce } from "./websocket-connect";

/** HTTP methods the API uses (the contract's). */
export type { HttpMethod } from "./contract/routes";
export type { QueryValue, RequestSpec } from "./request-spec";

/** A successful JSON answer. */
export interface ApiResponse<T> {
  data: T;
  status: number;
  requestId: string | null;
  /** How many tries it took (1 when the first one succeeded). */
  attempts: number;
}

/** A transfer to or from a signed URL: raw bytes, no auth header. */
export interface TransferSpec {
  method: "GET" | "PUT";
  url: string;
  /** The bytes to PUT. */
  body?: Uint8Array;
  /** For GET: the size the API announced; the download must match it. */
  expectedBytes?: number;
  /** Called as bytes move, with the count so far and the total (when known). */
  onProgress?: (transferredBytes: number, totalBytes: number | null) => void;
  signal?: AbortSignal;
  timeoutMs?: number;
}

interface AttemptOutcome<T> {
  status: number;
  requestId: string | null;
  value?: T;
  error?: ArkerError;
  retryAfterMs?: number | null;
}

const USER_AGENT = "arker-sdk-typescript";
const CLIENT_OPTION_KEYS = optionKeys<ArkerClientOptions>({
  apiKey: true,
  region: true,
  provider: true,
  baseUrl: true,
  controlBaseUrl: true,
  retry: true,
  timeoutMs: true,
  maxResponseBytes: true,
  dispatcher: true,
  maxConnections: true,
  logger: true,
  logLevel: true,
  env: true,
});
const RETRY_OPTION_KEYS = optionKeys<RetryOptions>({
  attempts: true,
  baseDelayMs: true,
  maxDelayMs: true,
});
const UPLOAD_CHUNK_BYTES = 1024 * 1024;

/**
 * The transport every Arker resource client shares: hosts, auth, JSON, retries with
 * backoff and `Retry-After`, idempotency keys, per-attempt timeouts, cancellation,
 * error parsing and a debug trace — written once.
 *
 * @example
 * const client = new ArkerClient({ region: "us-west-2" });
 * const { data } = await client.call("getVm", { params: { vm_id: id } });
 */
export class ArkerClient {
  /** Base URL of compute calls. */
  readonly computeBaseUrl: string;
  /** Base URL of control-plane calls. */
  readonly controlBaseUrl: string;
  /** The region, or `null` when a `baseUrl` was given without one. */
  readonly region: string | null;
  /** The provider (`aws` or `aws-burst`). */
  readonly provider: string;
  /** The resolved retry policy. */
  readonly retryPolicy: RetryPolicy;
  /** The per-attempt timeout in milliseconds. */
  readonly timeoutMs: number;
  readonly #apiKey: string;
  /** Removes the API key from every message of a JSON call. */
  readonly #redactKey: Redactor;
  readonly #maxResponseBytes: number;
  /** The caller's dispatcher, or the client's own Agent once the first request made it. */
  #dispatcher: Dispatcher | undefined;
  readonly #ownsDispatcher: boolean;
  readonly #maxConnections: number;
  readonly #logger: ArkerLogger;
  /** Whether debug lines are wanted; checked first so that a silent client formats none. */
  readonly #tracing: boolean;
  #closing: Promise<void> | undefined;

  /** Throws `bad_request` for a missing key or region before any request is sent. */
  constructor(options: ArkerClientOptions = {}) {
    rejectUnknownOptions(options, CLIENT_OPTION_KEYS, "ArkerClient");
    rejectUnknownOptions(options.retry, RETRY_OPTION_KEYS, "ArkerClient retry");
    const env = options.env ?? process.env;
    const connection = resolveConnection(options, env);
    this.#apiKey = connection.apiKey;
    this.computeBaseUrl = connection.computeBaseUrl;
    this.controlBaseUrl = connection.controlBaseUrl;
    this.region = connection.region;
    this.provider = connection.provider;
    this.retryPolicy = resolveRetryPolicy(options.retry);
    this.timeoutMs = timeoutOr(options.timeoutMs, DEFAULT_TIMEOUT_MS);
    this.#maxResponseBytes = maxResponseBytesOr(
      options.maxResponseBytes,
      DEFAULT_MAX_RESPONSE_BYTES,
    );
    this.#redactKey = createRedactor([this.#apiKey]);
    this.#ownsDispatcher = options.dispatcher === undefined;
    this.#dispatcher = options.dispatcher;
    // Checked now, though the pool is made on the first request; ignored with a dispatcher.
    this.#maxConnections = options.dispatcher
      ? DEFAULT_MAX_CONNECTIONS
      : positiveOr(options.maxConnections, DEFAULT_MAX_CONNECTIONS, "maxConnections");
    const sink = options.logger ?? stderrLogger;
    const level = resolveLogLevel(options.logLevel, env[ENV.log], sink);
    this.#tracing = level === "debug";
    this.#logger = createRedactingLogger(sink, level, [this.#apiKey]);
  }

  /** The logger, with the API key redacted from every line. */
  get logger(): ArkerLogger {
    return this.#logger;
  }

  /**
   * Removes the API key from a text taken from an answer, for errors that resource
   * packages build from an answer's fields (as the client does for every message).
   */
  redact(text: string): string {
    return this.#redactKey(text);
  }

  /** Sends one logical API call (with its retries) and parses the JSON answer. */
  async request<T>(spec: RequestSpec): Promise<ApiResponse<T>> {
    const timeoutMs = timeoutOr(spec.timeoutMs, this.timeoutMs);
    const url = this.#url(spec);
    const idempotencyKey = this.#idempotencyKeyFor(spec);
    const headers: Record<string, string> = {
      // JSON stays acceptable: a server that does not serve bytes answers JSON.
      accept: spec.acceptBytes
        ? "application/octet-stream, application/json;q=0.9"
        : "application/json",
      "user-agent": USER_AGENT,
    };
    if (spec.auth !== false) headers.authorization = `Bearer ${this.#apiKey}`;
    const raw = spec.body instanceof Uint8Array ? spec.body : undefined;
    const body =
      spec.body === undefined || raw !== undefined ? undefined : JSON.stringify(spec.body);
    if (body !== undefined) headers["content-type"] = "application/json";
    if (raw !== undefined) {
      headers["content-type"] = "application/octet-stream";
      headers["content-length"] = String(raw.byteLength);
    }
    if (idempotencyKey) headers["idempotency-key"] = idempotencyKey;

    // A raw body keeps an inactivity timer, as signed-URL transfers do: undici's
    // headersTimeout would also count the time spent sending it.
    const timer = () =>
      raw === undefined
        ? callerSignalOnly(spec.signal)
        : new AttemptDeadline(timeoutMs, spec.signal);
    const redact = this.#redactKey;
    return this.#withRetries(spec.method, url, spec, redact, timer, async (deadline, attempts) => {
      const undici = undiciIfLoaded() ?? (await loadUndici());
      // node:stream is loaded only by the calls that stream a body (BENCHMARKS.md, row 5).
      const stream = raw === undefined ? undefined : (await import("node:stream")).Readable;
      const response = await undici.request(url, {
        dispatcher: this.#dispatcherOf(undici),
        method: spec.method,
        headers,
        body:
          raw === undefined || stream === undefined
            ? body
            : stream.from(uploadChunks(raw, deadline, spec.onBodyProgress)),
        signal: deadline.signal,
        ...(raw === undefined ? { headersTimeout: timeoutMs, bodyTimeout: timeoutMs } : {}),
      });
      const requestId = requestIdOf(response.headers, redact);
      const unexpected = unexpectedOutcome(response, requestId);
      if (unexpected) return unexpected;
      let data: unknown;
      if (spec.acceptBytes && response.statusCode < 300 && isBytesAnswer(response.headers)) {
        data = await readCappedBytes(response.body, this.#maxResponseBytes, {
          status: response.statusCode,
          requestId,
          headers: response.headers,
        });
      } else {
        const text = await this.#readText(response, requestId);
        if (response.statusCode >= 400) {
          return this.#errorOutcome(response.statusCode, text, requestId, response.headers, redact);
        }
        data = parseJsonObject(text);
        if (data === undefined) {
          const error = malformedResponse(
            `not a JSON object: ${redactedSnippet(text, redact)}`,
            requestId,
            response.statusCode,
          );
          return { status: response.statusCode, requestId, error };
        }
      }
      const value: ApiResponse<T> = {
        data: data as T,
        status: response.statusCode,
        requestId,
        attempts,
      };
      return { status: response.statusCode, requestId, value };
    });
  }

  /**
   * Sends one call of a route of the contract's table (`ROUTES`): method, host, path,
   * auth and idempotency come from the table. The answer's `data` is `unknown`: decode
   * it. A failure of a call that carried an `Idempotency-Key` has it in
   * `ArkerError.idempotencyKey`.
   *
   * @example
   * const { data } = await client.call("getRun", { params: { vm_id, run_id } });
   * @internal For the resource packages; use `request` or the resource clients.
   */
  async call<Name extends RouteName>(
    name: Name,
    input: RouteInput<Name>,
    options?: CallOptions,
  ): Promise<ApiResponse<unknown>> {
    const spec = routeRequest(name, input, options);
    try {
      return await this.request<unknown>(spec);
    } catch (error) {
      throw withIdempotencyKey(error, spec.idempotencyKey || null);
    }
  }

  /**
   * Opens a WebSocket route of the contract's table (`websocket: true`): `https` becomes
   * `wss`, the key goes in the Authorization header unless the query carries a `ticket`,
   * and the dispatcher is the client's. Connecting is retried like any call: a refused
   * handshake is the `ArkerError` of its answer (retried when transient), no answer a
   * retried `network_error`; `timeoutMs` bounds each attempt's handshake.
   *
   * @internal For the resource packages (`vm.pty`).
   */
  async connect<Name extends RouteName>(
    name: Name,
    input: RouteInput<Name>,
    options?: Pick<CallOptions, "signal" | "timeoutMs">,
  ): Promise<WebSocket> {
    const route: RouteDefinition = ROUTES[name];
    if (route.websocket !== true) throw badRequest(`${name} is not a WebSocket route`);
    const spec = routeRequest(name, input, options);
    const url = this.#url(spec).replace(/^http/, "ws");
    const ticket = (spec.query as { ticket?: unknown } | undefined)?.ticket;
    const headers: Record<string, string> = { "user-agent": USER_AGENT };
    if (typeof ticket !== "string") headers.authorization = `Bearer ${this.#apiKey}`;
    const redact =
      typeof ticket === "string" ? createRedactor([this.#apiKey, ticket]) : this.#redactKey;
    const timeoutMs = timeoutOr(spec.timeoutMs, this.timeoutMs);
    const traceUrl = redact(url.split("?")[0] ?? url);
    return this.#withRetries(
      "GET",
      traceUrl,
      spec,
      redact,
      () => callerSignalOnly(spec.signal),
      async () => {
        const undici = await loadUndici();
        const attempt = await connectOnce(
          undici.WebSocket,
          url,
          headers,
          this.#dispatcherOf(undici),
          timeoutMs,
          spec.signal,
        );
        if (attempt.type === "failed") throw attempt.cause;
        if (attempt.type === "open") return { status: 101, requestId: null, value: attempt.socket };
        const { status, headers: answerHeaders, body } = attempt.handshake;
        const requestId = requestIdOf(answerHeaders, redact);
        if (status >= 400)
          return this.#errorOutcome(status, body, requestId, answerHeaders, redact);
        return {
          status,
          requestId,
          error: unexpectedStatusError(status, answerHeaders, requestId),
        };
      },
    );
  }

  /**
   * Fetches one page of a list route of the table, each item through `decodeItem`, as a
   * {@link Page} whose iteration follows `next_cursor` through the rest.
   *
   * @internal For the resource packages; use `list` or the resource clients.
   */
  async page<Name extends ListRouteName, T>(
    name: Name,
    input: RouteInput<Name>,
    decodeItem: Decoder<T>,
    options?: CallOptions,
  ): Promise<Page<T>> {
    return this.list(routeRequest(name, input, options), LIST_ITEMS[name], decodeItem);
  }

  /**
   * Fetches one page of a list request, each item through `decodeItem`, and returns it
   * as a {@link Page} whose iteration follows `next_cursor` through the rest.
   */
  async list<T>(spec: RequestSpec, itemsKey: string, decodeItem: Decoder<T>): Promise<Page<T>> {
    const { data, requestId } = await this.request<unknown>(spec);
    const { items, nextCursor } = decodePage(data, itemsKey, decodeItem, requestId);
    return new Page<T>(items, nextCursor, (cursor) =>
      this.list<T>({ ...spec, query: { ...spec.query, cursor } }, itemsKey, decodeItem),
    );
  }

  /**
   * Moves raw bytes to or from a signed URL, with no auth header, with the same retry
   * policy. A GET resolves to exactly `expectedBytes` bytes held in one buffer.
   */
  async transfer(spec: TransferSpec): Promise<Uint8Array> {
    timeoutOr(spec.timeoutMs, this.timeoutMs);
    const signed = checkSignedUrl(spec.url, this.computeBaseUrl);
    const traceUrl = `${signed.origin}/[signed URL]`;
    const redact = createRedactor([this.#apiKey, ...signed.secrets]);
    // A transfer keeps its own inactivity timer: undici's headersTimeout would also
    // count the time spent sending a large upload.
    const timeoutMs = spec.timeoutMs ?? this.timeoutMs;
    const timer = () => new AttemptDeadline(timeoutMs, spec.signal);
    return this.#withRetries(spec.method, traceUrl, spec, redact, timer, async (deadline) => {
      const total =
        spec.method === "PUT" ? (spec.body?.byteLength ?? 0) : (spec.expectedBytes ?? null);
      const undici = undiciIfLoaded() ?? (await loadUndici());
      // Loaded here, not at import: only transfers stream a body (BENCHMARKS.md, row 5).
      const { Readable } = await import("node:stream");
      const response = await undici.request(spec.url, {
        dispatcher: this.#dispatcherOf(undici),
        method: spec.method,
        // No content-type on a PUT: the real client sends none, and a signed URL may not
        // have signed one (issue 11, item 12).
        headers: spec.method === "PUT" ? { "content-length": String(total) } : {},
        body:
          spec.method === "PUT"
            ? Readable.from(uploadChunks(spec.body ?? new Uint8Array(), deadline, spec.onProgress))
            : undefined,
        signal: deadline.signal,
      });
      const requestId = requestIdOf(response.headers, redact);
      const unexpected = unexpectedOutcome(response, requestId);
      if (unexpected) return unexpected;
      if (response.statusCode >= 400) {
        return this.#errorOutcome(
          response.statusCode,
          await this.#readText(response, requestId),
          requestId,
          response.headers,
          redact,
        );
      }
      if (spec.method === "PUT") {
        await response.body.dump();
        return { status: response.statusCode, requestId, value: new Uint8Array() };
      }
      const value = await readBody(response.body, total, deadline, spec.onProgress);
      return { status: response.statusCode, requestId, value };
    });
  }

  /**
   * Closes the client's own connection pool (not a `dispatcher` you passed in). Safe to
   * call again (also through `await using` after an explicit close): later calls wait for
   * the first.
   */
  async close(): Promise<void> {
    if (!this.#ownsDispatcher) return;
    // undici rejects a second close() with ClientDestroyedError. A client that never sent
    // has no pool yet: nothing to close (and nothing is loaded to close it).
    this.#closing ??= this.#dispatcher?.close() ?? Promise.resolve();
    await this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #withRetries<T>(
    method: string,
    traceUrl: string,
    options: { signal?: AbortSignal; timeoutMs?: number },
    redact: Redactor,
    startTimer: () => AttemptTimer,
    attemptOnce: (deadline: AttemptTimer, attempt: number) => Promise<AttemptOutcome<T>>,
  ): Promise<T> {
    const policy = this.retryPolicy;
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    for (let attempt = 1; ; attempt++) {
      if (options.signal?.aborted) throw abortedError(options.signal.reason);
      const deadline = startTimer();
      const started = this.#tracing ? performance.now() : 0;
      let outcome: AttemptOutcome<T>;
      try {
        outcome = await attemptOnce(deadline, attempt);
      } catch (cause) {
        outcome = {
          status: 0,
          requestId: null,
          error: this.#transportError(cause, deadline, options.signal, timeoutMs, redact),
        };
      } finally {
        deadline.clear();
      }
      if (this.#tracing) {
        const ms = Math.round(performance.now() - started);
        this.#logger.debug(
          `arker ${method} ${traceUrl} ${outcome.status || outcome.error?.code} ${ms}ms attempt ${attempt}/${policy.attempts}` +
            (outcome.requestId ? ` request ${outcome.requestId}` : ""),
        );
      }
      if (!outcome.error) return outcome.value as T;
      if (!outcome.error.retryable || attempt >= policy.attempts) throw outcome.error;
      const delay = retryDelayMs(policy, attempt, outcome.retryAfterMs ?? null);
      this.#logger.debug(
        `arker retry ${attempt} of ${method} ${traceUrl} in ${delay}ms after ${outcome.error.code}`,
      );
      try {
        await sleep(delay, options.signal);
      } catch (reason) {
        throw abortedError(reason);
      }
    }
  }

  /** The dispatcher to send through; the client's own Agent is made on the first request. */
  #dispatcherOf(undici: UndiciModule): Dispatcher {
    if (this.#dispatcher) return this.#dispatcher;
    const agent = new undici.Agent({ connections: this.#maxConnections, keepAliveTimeout: 10_000 });
    // Closed before its first request: the pool is born closed, so the request fails as
    // it would have on a pool closed after use.
    if (this.#closing) void agent.close();
    this.#dispatcher = agent;
    return agent;
  }

  #errorOutcome(
    status: number,
    text: string,
    requestId: string | null,
    headers: ResponseHeaders,
    redact: Redactor,
  ): AttemptOutcome<never> {
    // Redacted before parsing, so the 300-character cut cannot leave a secret's head.
    const { code, message } = parseErrorBody(status, redact(text));
    const retryable = isRetryableResponse(status, code, message);
    const error = new ArkerError(code, message, status, { requestId, retryable });
    return {
      status,
      requestId,
      error,
      retryAfterMs: parseRetryAfter(headerValue(headers["retry-after"])),
    };
  }

  #transportError(
    cause: unknown,
    deadline: AttemptTimer,
    signal: AbortSignal | undefined,
    timeoutMs: number,
    redact: Redactor,
  ): ArkerError {
    if (signal?.aborted) return abortedError(signal.reason);
    if (ArkerError.is(cause)) return cause;
    if (deadline.timedOut || isUndiciTimeout(cause)) {
      return new ArkerError("network_error", `request timed out after ${timeoutMs} ms`, 0, {
        retryable: true,
        cause,
      });
    }
    const malformed = malformedHttpError(cause, redact);
    if (malformed) return malformed;
    const detail =
      cause instanceof Error
        ? `${(cause as { code?: string }).code ?? cause.name}: ${cause.message}`
        : String(cause);
    return new ArkerError("network_error", redact(detail), 0, { retryable: true, cause });
  }

  /** An answer's body as text, within the client's `maxResponseBytes`. */
  #readText(response: Dispatcher.ResponseData, requestId: string | null): Promise<string> {
    return readCappedText(response.body, this.#maxResponseBytes, {
      status: response.statusCode,
      requestId,
      headers: response.headers,
    });
  }

  #url(spec: RequestSpec): string {
    if (!spec.path.startsWith("/")) throw badRequest(`path must start with "/": ${spec.path}`);
    const base = spec.host === "control" ? this.controlBaseUrl : this.computeBaseUrl;
    if (spec.query === undefined) return `${base}${spec.path}`;
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(spec.query ?? {})) {
      if (value !== undefined && value !== null) query.set(key, String(value));
    }
    const search = query.toString();
    return `${base}${spec.path}${search ? `?${search}` : ""}`;
  }

  #idempotencyKeyFor(spec: RequestSpec): string | null {
    if (spec.idempotencyKey === false) return null;
    if (spec.idempotencyKey !== undefined) return validateIdempotencyKey(spec.idempotencyKey);
    return spec.method === "POST" || spec.method === "DELETE" ? newIdempotencyKey() : null;
  }
}

/** The outcome of a 1xx or 3xx answer, whose body is not read; `null` for any other. */
function unexpectedOutcome(
  response: Dispatcher.ResponseData,
  requestId: string | null,
): AttemptOutcome<never> | null {
  const status = response.statusCode;
  if (isSuccessStatus(status) || status >= 400) return null;
  discardBody(response.body);
  return { status, requestId, error: unexpectedStatusError(status, response.headers, requestId) };
}

async function* uploadChunks(
  bytes: Uint8Array,
  deadline: AttemptTimer,
  onProgress: ((sentBytes: number, totalBytes: number) => void) | undefined,
): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.byteLength; offset += UPLOAD_CHUNK_BYTES) {
    const chunk = bytes.subarray(offset, offset + UPLOAD_CHUNK_BYTES);
    yield chunk;
    deadline.touch();
    onProgress?.(offset + chunk.byteLength, bytes.byteLength);
  }
}

async function readBody(
  body: AsyncIterable<Uint8Array>,
  expectedBytes: number | null,
  deadline: AttemptTimer,
  onProgress: TransferSpec["onProgress"],
): Promise<Uint8Array> {
  // With the size known up front, the payload is held exactly once.
  const chunks: Uint8Array[] = [];
  const target = expectedBytes === null ? null : new Uint8Array(expectedBytes);
  let received = 0;
  for await (const chunk of body) {
    deadline.touch();
    if (target) {
      if (received + chunk.byteLength > target.byteLength)
        throw shortOrLongDownload(received + chunk.byteLength, expectedBytes);
      target.set(chunk, received);
    } else {
      chunks.push(chunk);
    }
    received += chunk.byteLength;
    onProgress?.(received, expectedBytes);
  }
  if (target) {
    if (received !== target.byteLength) throw shortOrLongDownload(received, expectedBytes);
    return target;
  }
  return concat(chunks, received);
}

function shortOrLongDownload(received: number, expected: number | null): ArkerError {
  return new ArkerError(
    "network_error",
    `signed URL download returned ${received} bytes, expected ${expected}`,
    0,
    {
      retryable: true,
    },
  );
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** Whether an answer is raw bytes (`application/octet-stream`, any parameters). */
function isBytesAnswer(headers: ResponseHeaders): boolean {
  const type = headerValue(headers["content-type"]) ?? "";
  return type.split(";")[0]?.trim().toLowerCase() === "application/octet-stream";
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A timeout option, checked before anything is sent: positive, finite, within one timer. */
function timeoutOr(value: number | null | undefined, fallback: number): number {
  const ms = positiveOr(value ?? undefined, fallback, "timeoutMs");
  if (ms > MAX_TIMEOUT_MS)
    throw badRequest(`timeoutMs must be at most ${MAX_TIMEOUT_MS} ms; got ${value}`);
  return ms;
}

function positiveOr(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0)
    throw badRequest(`${name} must be a positive number; got ${value}`);
  return value;
}

const UNDICI_TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

function isUndiciTimeout(cause: unknown): boolean {
  return UNDICI_TIMEOUT_CODES.has((cause as { code?: unknown } | null)?.code as string);
}
