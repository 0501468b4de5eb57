import type { FakeArker } from "@arker-ai/testing";
import { type Dispatcher, request } from "undici";

/** A raw answer: status, parsed JSON (when it is JSON), text and headers. */
export interface RawAnswer {
  status: number;
  json: unknown;
  text: string;
  /** The raw body. */
  bytes: Uint8Array;
  headers: Record<string, string | string[] | undefined>;
}

/** Sends one raw request to a fake through its in-process door (or its HTTP one when it listens). */
export async function send(
  fake: FakeArker,
  method: string,
  path: string,
  options: {
    apiKey?: string | null;
    authorization?: string;
    body?: unknown;
    bytes?: Uint8Array;
  } = {},
): Promise<RawAnswer> {
  const headers: Record<string, string> = {};
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  else if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  let body: string | Uint8Array | undefined;
  if (options.bytes !== undefined) {
    body = options.bytes;
    headers["content-type"] = "application/octet-stream";
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] = "application/json";
  }
  const url = path.startsWith("http") ? path : `${fake.url ?? fake.baseUrl}${path}`;
  const dispatcher: Dispatcher | undefined = fake.url === undefined ? fake.dispatcher : undefined;
  const response = await request(url, {
    method: method as Dispatcher.HttpMethod,
    headers,
    body,
    ...(dispatcher ? { dispatcher } : {}),
  });
  const bytes = new Uint8Array(await response.body.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.statusCode, json, text, bytes, headers: response.headers };
}

/** The `code` of a flat error envelope, or `null`. */
export function codeOf(answer: RawAnswer): string | null {
  const json = answer.json;
  if (typeof json === "object" && json !== null && "code" in json) {
    const code = (json as { code: unknown }).code;
    return typeof code === "string" ? code : null;
  }
  return null;
}
