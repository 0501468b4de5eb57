import { request } from "node:http";

/** What a raw HTTP exchange gave back. */
export interface RawHttpAnswer {
  status: number;
  json: unknown;
  text: string;
}

/**
 * One HTTP/1.1 request with exactly the headers given (a forged `Host` included, which
 * undici would not send), to a listening server. `declaredLength` announces a body
 * longer than `chunks`: the request is then left open, so an answer proves the server
 * did not wait for the body.
 */
export function rawHttp(
  url: string,
  options: {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    chunks?: Buffer[];
    declaredLength?: number;
  },
): Promise<RawHttpAnswer> {
  const { hostname, port } = new URL(url);
  const headers = { ...(options.headers ?? {}) };
  if (options.declaredLength !== undefined)
    headers["content-length"] = String(options.declaredLength);
  return new Promise((resolve, reject) => {
    let responded = false;
    const req = request(
      { hostname, port, method: options.method ?? "GET", path: options.path, headers },
      (response) => {
        responded = true;
        const parts: Buffer[] = [];
        response.on("data", (chunk: Buffer) => parts.push(chunk));
        response.on("end", () => {
          const text = Buffer.concat(parts).toString("utf8");
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: response.statusCode ?? 0, json, text });
          req.destroy();
        });
      },
    );
    // A server that answers without reading the body closes the connection while the
    // body is still being written: the answer may then arrive just after the write error.
    req.on("error", (error) => {
      if (!responded) setTimeout(() => reject(error), 500);
    });
    void (async () => {
      for (const chunk of options.chunks ?? []) {
        if (responded || req.destroyed) return;
        if (!req.write(chunk)) await new Promise((drained) => req.once("drain", drained));
      }
      if (options.declaredLength === undefined && !req.destroyed) req.end();
    })();
  });
}

/** The `code` of a flat error envelope, or `null`. */
export function codeOfJson(json: unknown): string | null {
  if (typeof json === "object" && json !== null && "code" in json) {
    const code = (json as { code: unknown }).code;
    return typeof code === "string" ? code : null;
  }
  return null;
}
