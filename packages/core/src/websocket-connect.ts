import type { Dispatcher, WebSocket } from "undici";
import { ArkerError } from "./errors";

/**
 * One attempt to open a WebSocket with undici's client. undici reports a refused
 * handshake only as "non-101 status"; an interceptor on the dispatcher reads the
 * handshake's answer (status, `Retry-After`, `x-request-id`, up to 4 KiB of body) so a
 * refusal becomes the same `ArkerError` a JSON call would get (401, 404, 503 …).
 *
 * @module
 */

/** The most of a refused handshake's body kept for its error message. */
const MAX_REFUSAL_BYTES = 4096;

/** What an attempt learned of the handshake's answer. */
export interface Handshake {
  status: number;
  headers: Record<string, string>;
  body: string;
}

type Handler = Dispatcher.DispatchHandler;

function headerRecord(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(raw)) {
    for (let index = 0; index + 1 < raw.length; index += 2)
      out[String(raw[index]).toLowerCase()] = String(raw[index + 1]);
  } else if (raw !== null && typeof raw === "object") {
    for (const [name, value] of Object.entries(raw as Record<string, unknown>))
      out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  return out;
}

/**
 * A dispatcher that records the handshake's answer into `seen` on the way through.
 * undici may hand one chunk to both handler styles (its compatibility wrapper): each
 * chunk is kept once. The WebSocket gives up on the answer as soon as it sees its
 * status, so a body sent after the status line would be lost: the status is passed on
 * once the body has ended (or 4 KiB of it came).
 */
function recording(dispatcher: Dispatcher, seen: Handshake): Dispatcher {
  const kept = new WeakSet<Uint8Array>();
  const append = (_style: "modern" | "legacy", chunk: Uint8Array): void => {
    if (kept.has(chunk)) return;
    kept.add(chunk);
    if (seen.body.length < MAX_REFUSAL_BYTES)
      seen.body += Buffer.from(chunk).toString("utf8").slice(0, MAX_REFUSAL_BYTES);
  };
  return dispatcher.compose((dispatch) => (options, handler) => {
    let held: (() => void) | null = null;
    const release = (): void => {
      const start = held;
      held = null;
      start?.();
    };
    const tapped = new Proxy(handler, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== "function") return value;
        switch (property) {
          case "onResponseStart":
            return (controller: unknown, status: number, headers: unknown, ...rest: unknown[]) => {
              // A new answer (undici may send the request again after a 401): start over.
              seen.status = status;
              seen.headers = headerRecord(headers);
              seen.body = "";
              held = () => value.call(target, controller, status, headers, ...rest);
            };
          case "onResponseEnd":
            return (...args: unknown[]) => {
              release();
              return value.apply(target, args);
            };
          case "onHeaders":
            return (status: number, headers: unknown, ...rest: unknown[]) => {
              if (seen.status !== status) seen.body = "";
              seen.status = status;
              seen.headers = headerRecord(
                Array.isArray(headers) ? headers.map((item) => String(item)) : headers,
              );
              return value.call(target, status, headers, ...rest);
            };
          case "onResponseData":
            return (controller: unknown, chunk: Uint8Array) => {
              append("modern", chunk);
              if (held === null) return value.call(target, controller, chunk);
              if (seen.body.length >= MAX_REFUSAL_BYTES) release();
              return true;
            };
          case "onData":
            return (chunk: Uint8Array) => {
              append("legacy", chunk);
              return value.call(target, chunk);
            };
          default:
            return value.bind(target);
        }
      },
    }) as Handler;
    return dispatch(options, tapped);
  });
}

/** How one attempt ended: the open socket, or what refused or broke it. */
export type ConnectAttempt =
  | { type: "open"; socket: WebSocket }
  | { type: "refused"; handshake: Handshake }
  | { type: "failed"; cause: unknown };

/**
 * Opens `url` once: resolves when the socket is open, refused (an HTTP answer other
 * than 101), failed (no answer, or `timeoutMs` passed), or `signal` fired.
 */
export function connectOnce(
  WebSocketClass: typeof WebSocket,
  url: string,
  headers: Record<string, string>,
  dispatcher: Dispatcher,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<ConnectAttempt> {
  const seen: Handshake = { status: 0, headers: {}, body: "" };
  return new Promise((resolve) => {
    let socket: WebSocket;
    try {
      socket = new WebSocketClass(url, { dispatcher: recording(dispatcher, seen), headers });
    } catch (cause) {
      resolve({ type: "failed", cause });
      return;
    }
    socket.binaryType = "arraybuffer";
    let settled = false;
    const finish = (attempt: ConnectAttempt): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      socket.removeEventListener("open", onOpen);
      socket.removeEventListener("close", onClose);
      if (attempt.type !== "open") socket.close();
      resolve(attempt);
    };
    const onOpen = (): void => finish({ type: "open", socket });
    const onClose = (): void => {
      if (seen.status !== 0 && seen.status !== 101) finish({ type: "refused", handshake: seen });
      else
        finish({ type: "failed", cause: new Error("the connection closed during the handshake") });
    };
    const onAbort = (): void => finish({ type: "failed", cause: signal?.reason });
    const timer = setTimeout(
      () =>
        finish({
          type: "failed",
          cause: new ArkerError("network_error", `connect timed out after ${timeoutMs} ms`, 0, {
            retryable: true,
          }),
        }),
      timeoutMs,
    );
    socket.addEventListener("open", onOpen);
    socket.addEventListener("close", onClose);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
