import { Agent, type Dispatcher, request } from "undici";
import { createFakeArker, type FakeArker, type FakeArkerOptions } from "../src/index.js";

/** A parsed JSON body as tests read it (the type `JSON.parse` returns). */
export type Json = ReturnType<typeof JSON.parse>;

/** Which door a test drives. */
export type DoorKind = "in-process" | "http";

/** A raw-HTTP client of one fake through one door. */
export interface RawClient {
  fake: FakeArker;
  base: string;
  dispatcher: Dispatcher;
  call(
    method: string,
    path: string,
    options?: {
      body?: unknown;
      rawBody?: string | Uint8Array;
      key?: string | null;
      headers?: Record<string, string>;
    },
  ): Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    json: Json;
    bytes: Uint8Array;
  }>;
  /** GET/PUT an absolute URL without auth (presigned URLs). */
  fetchUrl(
    method: "GET" | "PUT",
    url: string,
    body?: Uint8Array,
  ): Promise<{ status: number; bytes: Uint8Array; json: Json }>;
  close(): Promise<void>;
}

/** Opens a fake and a raw client through the chosen door. */
export async function openClient(
  kind: DoorKind,
  options: FakeArkerOptions = {},
): Promise<RawClient> {
  const fake = await createFakeArker({
    python: false,
    ...options,
    listen: kind === "http" ? true : undefined,
  });
  const dispatcher: Dispatcher = kind === "http" ? new Agent() : fake.dispatcher;
  const base = kind === "http" ? fake.url! : fake.baseUrl;
  const parse = (bytes: Uint8Array): unknown => {
    if (bytes.byteLength === 0) return undefined;
    try {
      return JSON.parse(Buffer.from(bytes).toString("utf8"));
    } catch {
      return undefined;
    }
  };
  return {
    fake,
    base,
    dispatcher,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      const key = options.key === undefined ? fake.apiKey : options.key;
      if (key !== null) headers.authorization = `Bearer ${key}`;
      let body: string | Uint8Array | undefined;
      if (options.rawBody !== undefined) body = options.rawBody;
      else if (options.body !== undefined) body = JSON.stringify(options.body);
      if (body !== undefined) headers["content-type"] ??= "application/json";
      const response = await request(`${base}${path}`, {
        method: method as Dispatcher.HttpMethod,
        headers,
        body,
        dispatcher,
      });
      const bytes = new Uint8Array(await response.body.arrayBuffer());
      return { status: response.statusCode, headers: response.headers, json: parse(bytes), bytes };
    },
    async fetchUrl(method, url, body) {
      const response = await request(url, { method, body, dispatcher });
      const bytes = new Uint8Array(await response.body.arrayBuffer());
      return { status: response.statusCode, bytes, json: parse(bytes) };
    },
    async close() {
      await fake.close();
      if (kind === "http") await (dispatcher as Agent).destroy();
    },
  };
}

/** The sorted keys of an object. */
export function keysOf(value: object): string[] {
  return Object.keys(value).sort();
}

/** Forks `ubuntu` from ArkerHQ and returns the VM body. */
export async function forkUbuntu(
  client: RawClient,
  extra: Record<string, unknown> = {},
): Promise<Json> {
  const response = await client.call("POST", "/v1/fork", {
    body: { source_vm_name: "ubuntu", source_org_id: "ArkerHQ", ...extra },
  });
  if (response.status !== 200)
    throw new Error(`fork failed: ${response.status} ${JSON.stringify(response.json)}`);
  return response.json;
}

/** Runs a command and returns the response. */
export function run(client: RawClient, vmId: string, body: Record<string, unknown>, key?: string) {
  return client.call("POST", `/v1/vms/${vmId}/runs`, {
    body,
    headers: key === undefined ? {} : { "idempotency-key": key },
  });
}

/** Expects the flat error envelope with this status and code. */
export function expectError(
  response: { status: number; json: Json; headers: Record<string, unknown> },
  status: number,
  code: string,
): void {
  if (
    response.status !== status ||
    response.json?.code !== code ||
    typeof response.json?.message !== "string"
  ) {
    throw new Error(
      `expected ${status} ${code}, got ${response.status} ${JSON.stringify(response.json)}`,
    );
  }
  if (keysOf(response.json).join(",") !== "code,message") {
    throw new Error(`error envelope has extra keys: ${JSON.stringify(response.json)}`);
  }
  if (typeof response.headers["x-request-id"] !== "string") throw new Error("missing x-request-id");
}

export const VM_KEYS = [
  "created_at",
  "disk_mib",
  "durable",
  "memory_mib",
  "name",
  "owner_org_id",
  "provider",
  "public",
  "region",
  "root_source_vm_id",
  "root_source_vm_name",
  "sessions",
  "started_at",
  "state",
  "vcpu_count",
  "vm_id",
];

/** The fork answer's keys: a VM's without its size (issue 11, item 3). */
export const FORKED_VM_KEYS = VM_KEYS.filter(
  (key) => !["vcpu_count", "memory_mib", "disk_mib"].includes(key),
);

export const COMPLETED_RUN_KEYS = [
  "exit_code",
  "fail_reason",
  "run_id",
  "session_id",
  "state",
  "stderr",
  "stderr_encoding",
  "stdout",
  "stdout_encoding",
];

export const RUN_KEYS = [
  "command",
  "completed_at",
  "exit_code",
  "fail_reason",
  "retry_count",
  "run_id",
  "session_id",
  "started_at",
  "state",
  "stderr",
  "stderr_encoding",
  "stdout",
  "stdout_encoding",
];
