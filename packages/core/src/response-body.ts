import { ArkerError, badRequest } from "./errors";
import { headerValue, type ResponseHeaders } from "./response-headers";

/** A response body as undici hands it over: a readable stream of bytes. */
export interface ResponseBody extends AsyncIterable<Uint8Array> {
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
  destroy(error?: Error): unknown;
  once(event: "error", listener: (error: Error) => void): unknown;
}

/**
 * Drops an answer's body unread and closes its connection (undici would otherwise drain
 * it, however long it is). Destroying an unfinished body makes undici emit an abort
 * error on it, which is expected here and must not surface as an uncaught exception.
 */
export function discardBody(body: ResponseBody): void {
  body.once("error", () => {});
  body.destroy();
}

/** What the cap's error names besides the cap itself. */
interface AnswerFacts {
  status: number;
  requestId: string | null;
  headers: ResponseHeaders;
}

/**
 * Reads a JSON (or error) answer as text, at most `maxBytes` of it. A `Content-Length`
 * over the cap fails before a byte is read; a body that grows past it (an endless chunked
 * answer) fails as soon as it does. Either way the body is destroyed, which makes undici
 * close the connection instead of draining it, and the call fails with `internal`
 * (not retried: the same server would send the same answer).
 */
export async function readCappedText(
  body: ResponseBody,
  maxBytes: number,
  facts: AnswerFacts,
): Promise<string> {
  // A declared length within the cap bounds the body already (undici frames the answer
  // by it), so the common case keeps undici's own, faster reader.
  if (declaredWithin(body, maxBytes, facts)) return body.text();
  const bytes = await readChunks(body, maxBytes, facts);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
}

/** Reads a raw-bytes answer, with the same cap as {@link readCappedText}. */
export async function readCappedBytes(
  body: ResponseBody,
  maxBytes: number,
  facts: AnswerFacts,
): Promise<Uint8Array> {
  if (declaredWithin(body, maxBytes, facts)) return new Uint8Array(await body.arrayBuffer());
  return readChunks(body, maxBytes, facts);
}

/** Whether the answer declares its length (within the cap); over the cap it fails. */
function declaredWithin(body: ResponseBody, maxBytes: number, facts: AnswerFacts): boolean {
  const declared = Number(headerValue(facts.headers["content-length"]) ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    discardBody(body);
    throw tooLarge(
      `response of ${declared} bytes (Content-Length) exceeds the cap of ${maxBytes} bytes (maxResponseBytes)`,
      facts,
    );
  }
  return Number.isFinite(declared);
}

async function readChunks(
  body: ResponseBody,
  maxBytes: number,
  facts: AnswerFacts,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let received = 0;
  for await (const chunk of body) {
    received += chunk.byteLength;
    if (received > maxBytes) {
      discardBody(body);
      throw tooLarge(
        `response body exceeds the cap of ${maxBytes} bytes (maxResponseBytes); the connection was closed`,
        facts,
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, received);
}

/** The `maxResponseBytes` option, checked at construction: a positive safe integer. */
export function maxResponseBytesOr(value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0)
    throw badRequest(`maxResponseBytes must be a positive integer; got ${value}`);
  return value;
}

function tooLarge(message: string, facts: AnswerFacts): ArkerError {
  return new ArkerError("internal", message, facts.status, { requestId: facts.requestId });
}
