import type { Dispatcher } from "undici";

/**
 * Records what the SDK puts on the wire, so the raw-undici baseline can send exactly the
 * same request (method, path, headers, body) instead of a guess at it.
 *
 * @module
 */

/** One request as dispatched. */
export interface CapturedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** Wraps `inner` so that every request it dispatches is appended to `captured`. */
export function capturingDispatcher(inner: Dispatcher): {
  dispatcher: Dispatcher;
  captured: CapturedRequest[];
} {
  const captured: CapturedRequest[] = [];
  const dispatcher = inner.compose((dispatch) => (options, handler) => {
    captured.push({
      method: options.method,
      path: options.path,
      headers: headerRecord(options.headers),
      body: typeof options.body === "string" ? options.body : "",
    });
    return dispatch(options, handler);
  });
  return { dispatcher, captured };
}

function headerRecord(headers: Dispatcher.DispatchOptions["headers"]): Record<string, string> {
  const record: Record<string, string> = {};
  if (!headers) return record;
  if (Array.isArray(headers)) {
    for (let index = 0; index + 1 < headers.length; index += 2) {
      record[String(headers[index]).toLowerCase()] = String(headers[index + 1]);
    }
    return record;
  }
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    if (value !== undefined) record[name.toLowerCase()] = String(value);
  }
  return record;
}
