import type { FaultEffect } from "../http/faults.js";
import {
  type EngineOutcome,
  type EngineRequest,
  type EngineResponse,
  jsonResponse,
} from "../http/http-types.js";
import { parseIdempotencyKey } from "../http/idempotency.js";
import { handleControl } from "../routes/control-routes.js";
import { isJsonObject, type JsonObject } from "../routes/fields.js";
import type { RouteContext } from "../routes/route.js";
import { matchRoute } from "../routes/router.js";
import { ApiError } from "../support/errors.js";
import { IdFactory } from "../support/ids.js";
import type { ResolvedOptions } from "../support/options.js";
import { SeededRandom } from "../support/random.js";
import { BLOB_PATH_PREFIX, FileSync } from "./file-sync.js";
import { FakeState } from "./state.js";

/**
 * The request pipeline shared by both doors: faults, routing, auth, idempotency,
 * handler, flat error envelope, `x-request-id`, request log.
 *
 * @module
 */

const decoder = new TextDecoder();

function errorResponse(error: ApiError): EngineResponse {
  return jsonResponse(error.status, { code: error.code, message: error.message });
}

function parseBody(body: Uint8Array | null): { json: JsonObject; text: string } {
  if (body === null || body.byteLength === 0) return { json: {}, text: "" };
  const text = decoder.decode(body);
  if (text.trim() === "") return { json: {}, text };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError("bad_request", "request body is not valid JSON");
  }
  if (!isJsonObject(value)) throw new ApiError("bad_request", "request body must be a JSON object");
  return { json: value, text };
}

/** The engine: one per fake, shared by its doors. */
export class Engine {
  readonly state: FakeState;
  readonly fileSync: FileSync;
  readonly #requestIds: IdFactory;
  readonly #latencyTimers = new Map<ReturnType<typeof setTimeout>, () => void>();
  #closed = false;

  /** Creates an engine with its state. */
  constructor(options: ResolvedOptions) {
    this.state = new FakeState(options);
    this.fileSync = new FileSync(this.state);
    this.#requestIds = new IdFactory(new SeededRandom(options.seed, "requests"), () =>
      this.state.clock.now(),
    );
  }

  /** Handles one request from either door. */
  async handle(request: EngineRequest): Promise<EngineOutcome> {
    const started = performance.now();
    const requestId = `req_${this.#requestIds.ulid()}`;
    const queryIndex = request.target.indexOf("?");
    const rawPath = queryIndex < 0 ? request.target : request.target.slice(0, queryIndex);
    const queryString = queryIndex < 0 ? "" : request.target.slice(queryIndex + 1);
    const path = rawPath.startsWith("/api/") ? rawPath.slice(4) : rawPath;
    const method = request.method.toUpperCase();
    const log = {
      requestId,
      method,
      path: rawPath,
      query: queryString,
      status: 0,
      idempotencyKey: request.headers["idempotency-key"] ?? null,
      orgId: null as string | null,
      durationMs: 0,
      at: this.state.clock.iso(),
      replayed: false,
      fault: null as string | null,
    };
    const isControl = path.startsWith("/_fake/") && !path.startsWith(BLOB_PATH_PREFIX);
    let response: EngineResponse;
    let reset = false;
    try {
      if (isControl) {
        try {
          response = (await handleControl(this.state, method, path, parseBody(request.body).json))!;
        } catch (error) {
          // Control inputs are validated by the JS API, which throws TypeError/Error.
          if (error instanceof ApiError) throw error;
          throw new ApiError("bad_request", error instanceof Error ? error.message : String(error));
        }
      } else {
        let effects: FaultEffect[] = [];
        if (!this.state.faults.empty) effects = this.state.faults.match(method, path);
        let resetAfter = false;
        let injected: EngineResponse | undefined;
        for (const effect of effects) {
          log.fault = effect.type;
          if (effect.type === "latency") await this.#sleep(effect.ms);
          else if (effect.type === "reset-after") resetAfter = true;
          else if (effect.type === "reset-before") {
            reset = true;
          } else {
            injected = jsonResponse(effect.status, {
              code: effect.code,
              message: effect.message ?? "injected fault",
            });
            if (effect.retryAfterSeconds !== undefined)
              injected.headers["retry-after"] = String(effect.retryAfterSeconds);
          }
        }
        if (reset) {
          response = jsonResponse(0, {});
        } else if (injected !== undefined) {
          response = injected;
        } else {
          response = await this.#route(request, method, path, queryString, log);
          reset = resetAfter;
        }
      }
    } catch (error) {
      response = error instanceof ApiError ? errorResponse(error) : this.#internal(error);
    }
    log.status = reset ? 0 : response.status;
    log.durationMs = performance.now() - started;
    if (!isControl) this.state.requestLog.push(log);
    if (reset) return { type: "reset" };
    response.headers["x-request-id"] = requestId;
    return { type: "response", response };
  }

  async #route(
    request: EngineRequest,
    method: string,
    path: string,
    queryString: string,
    log: { orgId: string | null; replayed: boolean },
  ): Promise<EngineResponse> {
    if (path.startsWith(BLOB_PATH_PREFIX)) {
      const token = path.slice(BLOB_PATH_PREFIX.length);
      if (method !== "GET" && method !== "PUT")
        throw new ApiError("not_found", `no route ${method} ${path}`);
      return this.fileSync.blob(method, token, request.body);
    }
    const match = matchRoute(method, path);
    if (match.type === "bad-path")
      throw new ApiError("bad_request", "path is not correctly URL-encoded");
    if (match.type === "none") throw new ApiError("not_found", `no route ${method} ${path}`);
    if (match.type === "wrong-method") {
      throw new ApiError(
        "not_found",
        `no route ${method} ${path} (allowed: ${match.allowed.join(", ")})`,
      );
    }
    const { route, params } = match;
    const orgId = route.auth ? this.state.authenticate(request.headers.authorization) : "";
    log.orgId = route.auth ? orgId : null;
    const idempotencyKey = route.idempotent
      ? parseIdempotencyKey(request.headers["idempotency-key"])
      : undefined;
    const { json, text } = method === "GET" ? { json: {}, text: "" } : parseBody(request.body);
    const context: RouteContext = {
      state: this.state,
      fileSync: this.fileSync,
      orgId,
      params,
      get query() {
        return new URLSearchParams(queryString);
      },
      body: json,
      origin: request.origin,
    };
    const run = async (): Promise<EngineResponse> => {
      try {
        const result = await route.handle(context);
        return jsonResponse(result.status, result.body);
      } catch (error) {
        if (error instanceof ApiError) return errorResponse(error);
        throw error;
      }
    };
    if (idempotencyKey === undefined) return run();
    const scope = `${orgId}\u0000${method} ${route.pattern}`;
    const { response, replayed } = await this.state.idempotency.run(
      scope,
      idempotencyKey,
      `${path}\n${text}`,
      run,
    );
    log.replayed = replayed;
    if (!replayed) return response;
    return {
      status: response.status,
      headers: { ...response.headers, "idempotent-replayed": "true" },
      body: response.body,
    };
  }

  #internal(error: unknown): EngineResponse {
    const message = error instanceof Error ? error.message : String(error);
    return jsonResponse(500, { code: "internal", message: `fake server bug: ${message}` });
  }

  #sleep(ms: number): Promise<void> {
    if (this.#closed || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#latencyTimers.delete(timer);
        resolve();
      }, ms);
      this.#latencyTimers.set(timer, resolve);
    });
  }

  /** Stops runs, timers and pending latency (on close). */
  close(): void {
    this.#closed = true;
    for (const [timer, resolve] of this.#latencyTimers) {
      clearTimeout(timer);
      resolve();
    }
    this.#latencyTimers.clear();
    this.state.shutdown();
  }
}
