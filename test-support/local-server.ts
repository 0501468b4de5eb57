// Shared by the packages' unit tests: a throwaway HTTP server on loopback and a
// fast-retrying client pointed at it. Not published.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ArkerClient, type ArkerClientOptions, ArkerError } from "@arker-ai/core";

/** A request as the test server saw it. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: Buffer;
  /** The body parsed as JSON, or `undefined`. */
  json: unknown;
}

/** Answers one request; `index` counts requests from 0. */
export type Handler = (request: SeenRequest, response: ServerResponse, index: number) => void;

/** A throwaway HTTP server on 127.0.0.1 that records requests and answers via `handle`. */
export async function startServer(handle: Handler) {
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      let json: unknown;
      try {
        json = body.length > 0 ? JSON.parse(body.toString("utf8")) : undefined;
      } catch {
        json = undefined;
      }
      const request = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body,
        json,
      };
      seen.push(request);
      try {
        handle(request, res, seen.length - 1);
      } catch (error) {
        sendJson(res, 500, { code: "internal", message: String(error) });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers with a JSON body, a status and an `x-request-id`. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  response.writeHead(status, {
    "content-type": "application/json",
    "x-request-id": `req_${status}`,
    ...headers,
  });
  response.end(typeof body === "string" ? body : JSON.stringify(body));
}

const cleanups: Array<() => Promise<void>> = [];

/** Closes every server and client made by {@link setup} (call from `afterEach`). */
export async function cleanup(): Promise<void> {
  await Promise.all(cleanups.splice(0).map((close) => close()));
}

/** A local server and a fast-retrying client pointed at it. */
export async function setup(handle: Handler, options: Partial<ArkerClientOptions> = {}) {
  const server = await startServer(handle);
  const client = new ArkerClient({
    apiKey: "ark_live_test_key",
    baseUrl: server.url,
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    logLevel: "off",
    ...options,
  });
  cleanups.push(
    () => client.close(),
    () => server.close(),
  );
  return { server, client };
}

/** The ArkerError a promise rejects with (fails the test if it resolves or throws else). */
export async function rejection(promise: Promise<unknown>): Promise<ArkerError> {
  try {
    await promise;
  } catch (error) {
    if (ArkerError.is(error)) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

/** A sample wire VM. */
export function wireVm(vmId: string, extra: Record<string, unknown> = {}) {
  return {
    vm_id: vmId,
    owner_org_id: "org_test",
    created_at: "2026-01-01T00:00:00Z",
    public: false,
    state: "idle",
    sessions: [],
    name: null,
    root_source_vm_id: null,
    root_source_vm_name: "ubuntu-full",
    region: "us-west-2",
    provider: "aws",
    started_at: "2026-01-01T00:00:00Z",
    vcpu_count: 2,
    memory_mib: 2048,
    disk_mib: 10240,
    durable: false,
    ...extra,
  };
}
