import { Dispatcher, errors } from "undici";
import {
  type FakeOutcome,
  type FakeRequest,
  type FakeRequestHandler,
  type FakeResponse,
  jsonResponse,
} from "../http/http-types.js";
import { statusText } from "../http/status-text.js";
import { bufferView } from "../support/buffer-view.js";
import { BodyTooLargeError, collectBody, collectWholeBody, isWholeBody } from "./collect-body.js";

/**
 * The in-process door: an undici `Dispatcher` that hands requests to the request pipeline and
 * answers through the handler callbacks, with no socket. It speaks both handler
 * styles of undici 7: the controller style (`onRequestStart`, `onResponseStart`, ...)
 * and the legacy one (`onConnect`, `onHeaders`, ...) that `request()` and `fetch` use.
 * A connection-reset fault reaches the client as undici's `SocketError`
 * ("other side closed", code `UND_ERR_SOCKET`) through the error callback.
 *
 * @module
 */

/** The reserved origin of the in-process door. */
export const IN_PROCESS_ORIGIN = "http://arker-fake.invalid";

type Handler = Dispatcher.DispatchHandler;
type HeaderInput = Dispatcher.DispatchOptions["headers"];

function normaliseHeaders(input: HeaderInput): Record<string, string> {
  const out: Record<string, string> = {};
  if (input === null || input === undefined) return out;
  if (Object.getPrototypeOf(input) === Object.prototype) {
    // The common case (the SDK's own requests): names already lower-case, values strings.
    const record = input as Record<string, unknown>;
    for (const name in record) {
      const value = record[name];
      if (typeof value !== "string" || name !== name.toLowerCase()) return slowNormalise(input);
      out[name] = value;
    }
    return out;
  }
  return slowNormalise(input);
}

function slowNormalise(input: NonNullable<HeaderInput>): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (name: unknown, value: unknown): void => {
    if (value === undefined || value === null) return;
    const key = String(name).toLowerCase();
    const text = Array.isArray(value) ? value.map(String).join(", ") : String(value);
    out[key] = out[key] === undefined ? text : `${out[key]}, ${text}`;
  };
  if (Array.isArray(input)) {
    if (input.length > 0 && Array.isArray(input[0])) {
      for (const pair of input as unknown as Array<[unknown, unknown]>) add(pair[0], pair[1]);
    } else {
      for (let index = 0; index + 1 < input.length; index += 2) add(input[index], input[index + 1]);
    }
    return out;
  }
  if (typeof (input as Iterable<unknown>)[Symbol.iterator] === "function") {
    for (const pair of input as Iterable<[unknown, unknown]>) add(pair[0], pair[1]);
    return out;
  }
  for (const [name, value] of Object.entries(input as Record<string, unknown>)) add(name, value);
  return out;
}

/**
 * One request's controller: it also remembers whether the request has finished (answered
 * or failed), so that neither happens twice.
 */
class Controller implements Dispatcher.DispatchController {
  aborted = false;
  paused = false;
  reason: Error | null = null;
  finished = false;
  readonly #handler: Handler;

  constructor(handler: Handler) {
    this.#handler = handler;
  }

  abort(reason: Error): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.fail(reason);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  /** Ends the request with an error, unless it has finished already. */
  fail(error: Error): void {
    if (this.finished) return;
    this.finished = true;
    const handler = this.#handler;
    if (typeof handler.onResponseError === "function") handler.onResponseError(this, error);
    else handler.onError?.(error);
  }
}

/** An undici Dispatcher answering from the fake's request pipeline. */
export class FakeDispatcher extends Dispatcher {
  readonly #pipeline: FakeRequestHandler;
  readonly #maxBodyBytes: number;
  #closed = false;

  /** Creates the door over a pipeline; bodies past `maxBodyBytes` are answered 413. */
  constructor(pipeline: FakeRequestHandler, maxBodyBytes = Number.POSITIVE_INFINITY) {
    super();
    this.#pipeline = pipeline;
    this.#maxBodyBytes = maxBodyBytes;
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Handler): boolean {
    const controller = new Controller(handler);
    if (typeof handler.onRequestStart === "function") handler.onRequestStart(controller, {});
    else
      handler.onConnect?.((reason) => controller.abort(reason ?? new errors.RequestAbortedError()));
    if (this.#closed) {
      controller.fail(new errors.ClientDestroyedError());
      return true;
    }
    try {
      // A body given whole is read at once; only a stream waits for its chunks.
      if (isWholeBody(options.body)) {
        let body: Uint8Array | null = null;
        let tooLarge = false;
        try {
          body = collectWholeBody(options.body, this.#maxBodyBytes);
        } catch (error) {
          if (!(error instanceof BodyTooLargeError)) throw error;
          tooLarge = true;
        }
        this.#serve(options, handler, controller, body, tooLarge);
      } else {
        collectBody(options.body, this.#maxBodyBytes).then(
          (body) => this.#serve(options, handler, controller, body, false),
          (error: unknown) => {
            if (error instanceof BodyTooLargeError)
              this.#serve(options, handler, controller, null, true);
            else controller.fail(asError(error));
          },
        );
      }
    } catch (error) {
      controller.fail(asError(error));
    }
    return true;
  }

  #serve(
    options: Dispatcher.DispatchOptions,
    handler: Handler,
    controller: Controller,
    body: Uint8Array | null,
    tooLarge: boolean,
  ): void {
    if (controller.finished) return;
    let answer: FakeOutcome | Promise<FakeOutcome>;
    try {
      const request: FakeRequest = {
        method: options.method,
        target: options.path,
        headers: normaliseHeaders(options.headers),
        body,
        origin: this.#originOf(options.origin),
      };
      if (tooLarge) request.bodyTooLarge = this.#maxBodyBytes;
      if (typeof options.upgrade === "string") request.upgrade = options.upgrade;
      answer = this.#pipeline.handle(request);
    } catch (error) {
      controller.fail(asError(error));
      return;
    }
    // An answer known at once is handed over within `dispatch`, as undici's MockAgent does.
    if (!(answer instanceof Promise)) {
      this.#answer(options, handler, controller, answer);
      return;
    }
    answer.then(
      (outcome) => this.#answer(options, handler, controller, outcome),
      (error: unknown) => controller.fail(asError(error)),
    );
  }

  #answer(
    options: Dispatcher.DispatchOptions,
    handler: Handler,
    controller: Controller,
    outcome: FakeOutcome,
  ): void {
    if (controller.finished) return;
    if (outcome.type === "reset") {
      controller.fail(new errors.SocketError("other side closed"));
      return;
    }
    controller.finished = true;
    try {
      deliver(handler, controller, inProcessAnswer(outcome.response), options.method === "HEAD");
    } catch {
      // The request has finished: a handler that throws while taking the answer has
      // no error callback left to hear about it.
    }
  }

  #lastOrigin: { raw: unknown; origin: string } = { raw: undefined, origin: IN_PROCESS_ORIGIN };

  #originOf(raw: Dispatcher.DispatchOptions["origin"]): string {
    if (raw === undefined) return IN_PROCESS_ORIGIN;
    if (raw === this.#lastOrigin.raw) return this.#lastOrigin.origin;
    const origin = new URL(String(raw)).origin;
    this.#lastOrigin = { raw, origin };
    return origin;
  }

  override async close(): Promise<void> {
    this.#closed = true;
  }

  override async destroy(): Promise<void> {
    this.#closed = true;
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * An accepted WebSocket upgrade cannot be served without a socket: undici's WebSocket
 * does reach this door through `dispatcher`, but then needs a real duplex socket to
 * speak frames over. Such a request is answered 501, naming the listening door.
 */
function inProcessAnswer(response: FakeResponse): FakeResponse {
  if (response.upgrade === undefined) return response;
  return jsonResponse(501, {
    code: "not_implemented",
    message:
      "the in-process door does not upgrade to a WebSocket (PTY): use createFakeArker({ listen: true })",
  });
}

function deliver(
  handler: Handler,
  controller: Controller,
  response: FakeResponse,
  head: boolean,
): void {
  const headers = response.headers;
  headers["content-length"] = String(response.body.byteLength);
  const reason = statusText(response.status) ?? "";
  const chunk = bufferView(response.body);
  if (typeof handler.onResponseStart === "function") {
    handler.onResponseStart(controller, response.status, headers, reason);
    if (!head && chunk.byteLength > 0) handler.onResponseData?.(controller, chunk);
    handler.onResponseEnd?.(controller, {});
    return;
  }
  const rawHeaders: Buffer[] = [];
  for (const name in headers) rawHeaders.push(latin1(name), latin1(headers[name]!));
  handler.onResponseStarted?.();
  handler.onHeaders?.(response.status, rawHeaders, resumeNothing, reason);
  if (!head && chunk.byteLength > 0) handler.onData?.(chunk);
  handler.onComplete?.([]);
}

// The whole answer is handed over at once: there is nothing to resume.
const resumeNothing = (): void => undefined;

// Header names and common values repeat on every answer: encode them once.
const latin1Cache = new Map<string, Buffer>();

function latin1(text: string): Buffer {
  const cached = latin1Cache.get(text);
  if (cached !== undefined) return cached;
  const encoded = Buffer.from(text, "latin1");
  if (text.length <= 32 && latin1Cache.size < 256 && !text.startsWith("req_"))
    latin1Cache.set(text, encoded);
  return encoded;
}
