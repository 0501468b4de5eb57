import { isAscii } from "node:buffer";
import { isRecord } from "@arker-ai/core/internal";
import { FakeState } from "../engine/fake-state.js";
import { decodeRequestBody } from "../http/content-encoding.js";
import { FAKE_ROUTES } from "../http/fake-routes.js";
import type { FaultEffect } from "../http/faults.js";
import type { HostPolicy } from "../http/host-policy.js";
import {
  bytesResponse,
  type FakeOutcome,
  type FakeRequest,
  type FakeRequestHandler,
  type FakeResponse,
  jsonResponse,
} from "../http/http-types.js";
import { parseIdempotencyKey } from "../http/idempotency.js";
import type { RequestLogEntry } from "../http/request-log.js";
import { type RouteMatch, Router } from "../http/router.js";
import { TUNNEL_PATH_PREFIX } from "../http/tunnel-paths.js";
import { BodyReader } from "../routes/body-reader.js";
import { type Reply, StatusAnswer, UpgradeAnswer } from "../routes/handler-types.js";
import { QueryReader } from "../routes/query-reader.js";
import { ROUTE_ENTRIES, type RouteEntry } from "../routes/route-entries.js";
import { bufferView } from "../support/buffer-view.js";
import { ApiError, badRequest } from "../support/errors.js";
import { IdFactory } from "../support/ids.js";
import type { ResolvedOptions } from "../support/options.js";
import { SeededRandom } from "../support/random.js";
import { guardControl } from "./control-guard.js";
import { serveTunnel } from "./tunnel-traffic.js";

/**
 * The request pipeline shared by both doors: routing (one router over every route the
 * fake serves), faults, auth, idempotency, the handler, the flat error envelope,
 * `x-request-id` and the request log. Test controls skip faults and the log, and pass the
 * control guard first. Signed-URL tokens are logged as `{token}`.
 *
 * @module
 */

const router = new Router(ROUTE_ENTRIES);
const decoder = new TextDecoder();
const NO_BODY = Object.freeze({ json: Object.freeze({}), text: "" });
/** How a signed URL appears in the request log: its token is a credential. */
const BLOB_LOG_PATH = FAKE_ROUTES.getBlob.path;

function tooLarge(limit: number): ApiError {
  return new ApiError("payload_too_large", `request body exceeds the limit of ${limit} bytes`);
}

function errorResponse(error: ApiError): FakeResponse {
  return jsonResponse(error.status, { code: error.code, message: error.message });
}

function parseBody(body: Uint8Array | null): { json: Record<string, unknown>; text: string } {
  if (body === null || body.byteLength === 0) return NO_BODY;
  // An ASCII body (any body the SDK sends, base64 content included) reads the same as
  // latin1, which skips UTF-8 decoding: a measurable part of a large inline write.
  const text = isAscii(body) ? bufferView(body).toString("latin1") : decoder.decode(body);
  if (text.trim() === "") return { json: {}, text };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest("request body is not valid JSON");
  }
  if (!isRecord(value)) throw badRequest("request body must be a JSON object");
  return { json: value, text };
}

/** An API error's answer; anything else stays an error (a 500 further up). */
function apiErrorResponse(error: unknown): FakeResponse {
  if (error instanceof ApiError) return errorResponse(error);
  throw error;
}

function answered(response: FakeResponse): FakeOutcome {
  return { type: "response", response };
}

function replyResponse(reply: Reply<unknown>): FakeResponse {
  if (reply instanceof UpgradeAnswer)
    return { status: 101, headers: {}, body: new Uint8Array(0), upgrade: reply.open };
  const { status, body } =
    reply instanceof StatusAnswer ? reply : { status: 200, body: reply as unknown };
  return body instanceof Uint8Array ? bytesResponse(status, body) : jsonResponse(status, body);
}

/** The parts of a request target. */
interface Target {
  method: string;
  /** The path as sent, without the query. */
  rawPath: string;
  /** The path without the `/api` prefix. */
  path: string;
  query: string;
}

function targetOf(request: FakeRequest): Target {
  const queryIndex = request.target.indexOf("?");
  const rawPath = queryIndex < 0 ? request.target : request.target.slice(0, queryIndex);
  return {
    method: request.method.toUpperCase(),
    rawPath,
    path: rawPath.startsWith("/api/") ? rawPath.slice(4) : rawPath,
    query: queryIndex < 0 ? "" : request.target.slice(queryIndex + 1),
  };
}

/** The pipeline: one per fake, shared by its doors. */
export class RequestPipeline implements FakeRequestHandler {
  /** The fake's state. */
  readonly state: FakeState;
  readonly #requestIds: IdFactory;
  readonly #latencyTimers = new Map<ReturnType<typeof setTimeout>, () => void>();
  readonly #hosts: HostPolicy;
  #closed = false;

  /** Creates a pipeline with its state; `hosts` are the names it serves (the `Origin` check). */
  constructor(options: ResolvedOptions, hosts: HostPolicy) {
    this.state = new FakeState(options);
    this.#hosts = hosts;
    this.#requestIds = new IdFactory(new SeededRandom(options.seed, "requests"), () =>
      this.state.clock.now(),
    );
  }

  /**
   * Whether a request's body is worth reading, from its head alone: not when no route
   * matches, the API key fails, a control request lacks the key or token, or a signed
   * URL's token is unknown. A door then answers without reading (nor buffering) the body.
   */
  wantsBody(head: Pick<FakeRequest, "method" | "target" | "headers">): boolean {
    const target = targetOf({ ...head, body: null, origin: "" });
    if (target.rawPath.startsWith(TUNNEL_PATH_PREFIX)) return true;
    const match = router.match(target.method, target.path);
    if (match.type !== "found") return false;
    const { entry, params } = match;
    try {
      if (entry.kind === "control") {
        const { options } = this.state;
        guardControl(
          {
            ...head,
            headers: { ...head.headers, "content-type": "application/json" },
            body: null,
            origin: "",
          },
          { apiKey: options.apiKey, controlToken: options.controlToken, hosts: this.#hosts },
        );
      } else if (entry.kind === "blob") {
        return this.state.files.grantOf(params.token ?? "")?.method === "PUT";
      } else if (entry.auth) {
        this.state.orgs.authenticate(head.headers.authorization);
      }
      return true;
    } catch {
      return false;
    }
  }

  /** Handles one request from either door. */
  handle(request: FakeRequest): FakeOutcome | Promise<FakeOutcome> {
    try {
      return this.#handle(request);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * An API request goes through without an `async` frame per stage (each would add
   * promises and turns to every request); only what waits (latency faults, handlers)
   * makes promises, and an answer known at once is returned as it is.
   */
  #handle(request: FakeRequest): FakeOutcome | Promise<FakeOutcome> {
    const started = performance.now();
    const requestId = this.#requestIds.next("req");
    const target = targetOf(request);
    if (target.rawPath.startsWith(TUNNEL_PATH_PREFIX))
      return this.#tunnel(request, target, requestId, started);
    const match = router.match(target.method, target.path);
    if ((match.type === "found" || match.type === "bad-path") && match.entry.kind === "control") {
      return this.#control(request, target, match).then((response) => {
        response.headers["x-request-id"] = requestId;
        return { type: "response", response };
      });
    }
    const log: RequestLogEntry = {
      requestId,
      method: target.method,
      path:
        (match.type === "found" || match.type === "bad-path") && match.entry.kind === "blob"
          ? BLOB_LOG_PATH
          : target.rawPath,
      query: target.query,
      status: 0,
      idempotencyKey: request.headers["idempotency-key"] ?? null,
      orgId: null,
      durationMs: 0,
      at: this.state.clock.iso(),
      replayed: false,
      fault: null,
    };
    const finish = (outcome: FakeOutcome): FakeOutcome => {
      log.status = outcome.type === "reset" ? 0 : outcome.response.status;
      log.durationMs = performance.now() - started;
      this.state.requestLog.push(log);
      if (outcome.type === "response") outcome.response.headers["x-request-id"] = requestId;
      return outcome;
    };
    if (!this.state.faults.empty)
      return this.#serveWithFaults(request, target, match, log).then(finish);
    let routed: FakeResponse | Promise<FakeResponse>;
    try {
      routed = this.#route(request, target, match, log);
    } catch (error) {
      return finish(this.#failed(error));
    }
    if (!(routed instanceof Promise)) return finish(answered(routed));
    return routed.then(
      (response) => finish(answered(response)),
      (error: unknown) => finish(this.#failed(error)),
    );
  }

  /** Tunnel traffic: logged (without faults, idempotency or the API's envelope on success). */
  async #tunnel(
    request: FakeRequest,
    target: Target,
    requestId: string,
    started: number,
  ): Promise<FakeOutcome> {
    let response: FakeResponse;
    try {
      if (request.bodyTooLarge !== undefined) throw tooLarge(request.bodyTooLarge);
      response = await serveTunnel(this.state, request, target.rawPath, target.query);
    } catch (error) {
      response = error instanceof ApiError ? errorResponse(error) : this.#internal(error);
    }
    this.state.requestLog.push({
      requestId,
      method: target.method,
      path: target.rawPath,
      query: target.query,
      status: response.status,
      idempotencyKey: null,
      orgId: null,
      durationMs: performance.now() - started,
      at: this.state.clock.iso(),
      replayed: false,
      fault: null,
    });
    response.headers["x-request-id"] = requestId;
    return { type: "response", response };
  }

  /** A test control: no faults, no request log; a bad input to a JS control is a 400. */
  async #control(
    request: FakeRequest,
    target: Target,
    match: RouteMatch<RouteEntry>,
  ): Promise<FakeResponse> {
    try {
      const { options } = this.state;
      guardControl(request, {
        apiKey: options.apiKey,
        controlToken: options.controlToken,
        hosts: this.#hosts,
      });
      if (match.type !== "found") throw badRequest("path is not correctly URL-encoded");
      if (request.bodyTooLarge !== undefined) throw tooLarge(request.bodyTooLarge);
      const { json } = parseBody(request.body);
      return replyResponse(
        await match.entry.handle({
          state: this.state,
          orgId: "",
          params: match.params,
          query: new QueryReader(target.query),
          body: new BodyReader(json),
          bytes: null,
          origin: request.origin,
          accept: "",
        }),
      );
    } catch (error) {
      if (error instanceof ApiError) return errorResponse(error);
      return errorResponse(badRequest(error instanceof Error ? error.message : String(error)));
    }
  }

  #failed(error: unknown): FakeOutcome {
    const response = error instanceof ApiError ? errorResponse(error) : this.#internal(error);
    return { type: "response", response };
  }

  /** Faults first (they apply to unknown paths too), then the route. */
  async #serveWithFaults(
    request: FakeRequest,
    target: Target,
    match: RouteMatch<RouteEntry>,
    log: RequestLogEntry,
  ): Promise<FakeOutcome> {
    try {
      const effects: FaultEffect[] = this.state.faults.match(target.method, target.path);
      let resetAfter = false;
      let injected: FakeResponse | undefined;
      for (const effect of effects) {
        log.fault = effect.type;
        if (effect.type === "latency") await this.#sleep(effect.ms);
        else if (effect.type === "reset-after") resetAfter = true;
        else if (effect.type === "reset-before") return { type: "reset" };
        else {
          injected = jsonResponse(effect.status, {
            code: effect.code,
            message: effect.message ?? "injected fault",
          });
          if (effect.retryAfterSeconds !== undefined)
            injected.headers["retry-after"] = String(effect.retryAfterSeconds);
        }
      }
      if (injected !== undefined) return { type: "response", response: injected };
      const response = await this.#route(request, target, match, log);
      return resetAfter ? { type: "reset" } : { type: "response", response };
    } catch (error) {
      const response = error instanceof ApiError ? errorResponse(error) : this.#internal(error);
      return { type: "response", response };
    }
  }

  /** The route's answer; a request refused before its handler runs throws. */
  #route(
    request: FakeRequest,
    target: Target,
    match: RouteMatch<RouteEntry>,
    log: RequestLogEntry,
  ): FakeResponse | Promise<FakeResponse> {
    const { method, path } = target;
    if (match.type === "bad-path") throw badRequest("path is not correctly URL-encoded");
    if (match.type === "none") throw new ApiError("not_found", `no route ${method} ${path}`);
    if (match.type === "wrong-method") {
      throw new ApiError(
        "not_found",
        `no route ${method} ${path} (allowed: ${match.allowed.join(", ")})`,
      );
    }
    const { entry, params } = match;
    const orgId = entry.websocket
      ? this.#websocketOrg(request, target, params)
      : entry.auth
        ? this.state.orgs.authenticate(request.headers.authorization)
        : "";
    log.orgId = entry.auth ? orgId : null;
    if (request.bodyTooLarge !== undefined) throw tooLarge(request.bodyTooLarge);
    const idempotencyKey = entry.idempotent
      ? parseIdempotencyKey(request.headers["idempotency-key"])
      : undefined;
    const bytes = entry.rawBody ? request.body : null;
    const { json, text } =
      entry.rawBody || method === "GET"
        ? NO_BODY
        : parseBody(
            decodeRequestBody(
              request.body,
              request.headers["content-encoding"],
              this.state.options.maxBodyBytes,
            ),
          );
    const toResponse = (reply: Reply<unknown>): FakeResponse => {
      try {
        if (reply instanceof UpgradeAnswer && request.upgrade?.toLowerCase() !== "websocket")
          throw badRequest(`${target.path} is a WebSocket: send it with Upgrade: websocket`);
        return replyResponse(reply);
      } catch (error) {
        return apiErrorResponse(error);
      }
    };
    const handle = (): FakeResponse | Promise<FakeResponse> => {
      let reply: Reply<unknown> | Promise<Reply<unknown>>;
      try {
        reply = entry.handle({
          state: this.state,
          orgId,
          params,
          query: new QueryReader(target.query),
          body: new BodyReader(json),
          bytes,
          origin: request.origin,
          accept: request.headers.accept ?? "",
        });
      } catch (error) {
        if (error instanceof ApiError) return errorResponse(error);
        return Promise.reject(error);
      }
      return reply instanceof Promise
        ? reply.then(toResponse, apiErrorResponse)
        : toResponse(reply);
    };
    if (idempotencyKey === undefined) return handle();
    return this.state.idempotency.run(orgId, entry.name, idempotencyKey, path, text, handle, () => {
      log.replayed = true;
    });
  }

  /**
   * A WebSocket route's caller: the key, or else a `ticket` of that session that has not
   * expired. (A plain GET that passes auth and the route's checks is a 400.)
   */
  #websocketOrg(request: FakeRequest, target: Target, params: Record<string, string>): string {
    const ticket = new URLSearchParams(target.query).get("ticket");
    let orgId: string;
    if (request.headers.authorization === undefined && ticket !== null) {
      const record = this.state.sessions.ptyTicket(ticket);
      if (
        record === undefined ||
        record.vmId !== params.vm_id ||
        record.sessionId !== params.session_id
      )
        throw new ApiError("unauthorized", "unknown or expired PTY ticket");
      orgId = record.orgId;
    } else {
      orgId = this.state.orgs.authenticate(request.headers.authorization);
    }
    return orgId;
  }

  #internal(error: unknown): FakeResponse {
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
