import { ERROR_STATUS } from "@arker-ai/core/wire";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DoorKind, forkUbuntu, keysOf, openClient, type RawClient } from "./helpers.js";

// Random and malformed requests: the fake never crashes, never answers 5xx without a
// fault rule, and every 4xx carries the flat envelope with the status of its code.

const segment = fc.oneof(
  fc.constantFrom(
    "v1",
    "api",
    "vms",
    "runs",
    "sessions",
    "sync",
    "syncs",
    "filesystems",
    "fork",
    "resize",
    "health",
    "_fake",
  ),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
  fc.constantFrom("%", "%E0%A4%A", "..", ".", "", "%00", "vm_missing"),
);

const fieldNames = fc.constantFrom(
  "command",
  "op",
  "path",
  "writes",
  "source_vm_id",
  "source_vm_name",
  "source_org_id",
  "name",
  "public",
  "durable",
  "vcpu_count",
  "memory_mib",
  "disk_mib",
  "timeout",
  "background",
  "env",
  "cwd",
  "session_id",
  "session_idx",
  "filesystem_id",
  "size",
  "content",
  "upload_id",
  "start",
  "end",
  "presigned",
  "sha256",
);

const jsonValue = fc.oneof(
  fc.json({ maxDepth: 2 }).map((text) => JSON.parse(text) as unknown),
  fc.constantFrom("/tmp/x", "ubuntu", "ArkerHQ", "true", "read", "write", -1, 0, 1.5, 4096, null),
);

const body = fc.oneof(
  fc.constant(undefined),
  fc.dictionary(fieldNames, jsonValue, { maxKeys: 6 }).map((value) => JSON.stringify(value)),
  fc.json({ maxDepth: 3 }),
  fc.string({ maxLength: 40 }),
  fc.constant('{"op": "write", "writes": [{"path": "/tmp/a", "size": 3}]}'),
);

function requestArbitrary(vmId: string) {
  const vmPath = fc.constantFrom(
    `/v1/vms/${vmId}`,
    `/v1/vms/${vmId}/runs`,
    `/v1/vms/${vmId}/sessions`,
    `/v1/vms/${vmId}/sync`,
    `/v1/vms/${vmId}/syncs`,
    `/v1/vms/${vmId}/resize`,
    `/api/v1/vms/${vmId}/runs/run_x`,
    "/v1/fork",
    "/v1/vms",
    "/v1/filesystems",
    "/v1/health",
    "/_fake/blobs/nothing",
  );
  const path = fc.oneof(
    vmPath,
    fc.array(segment, { minLength: 1, maxLength: 5 }).map((segments) => `/${segments.join("/")}`),
    fc
      .tuple(vmPath, fc.string({ maxLength: 10 }))
      .map(
        ([base, query]) =>
          `${base}?${encodeURIComponent(query)}=${encodeURIComponent(query)}&limit=${query.length}`,
      ),
  );
  return fc.record({
    method: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"),
    path,
    body,
    auth: fc.constantFrom("valid", "none", "bogus"),
    idempotencyKey: fc.option(
      fc.string({ minLength: 0, maxLength: 70, unit: fc.constantFrom(..."ab-_ ~!Z09") }),
      { nil: undefined },
    ),
  });
}

describe.each<[DoorKind, number]>([
  ["in-process", 400],
  ["http", 120],
])("random requests through the %s door", (kind, numRuns) => {
  let client: RawClient;
  let vmId: string;
  beforeAll(async () => {
    client = await openClient(kind);
    vmId = (await forkUbuntu(client)).vm_id;
  });
  afterAll(async () => {
    await client.close();
  });

  it("never answer 5xx, and every 4xx has the flat envelope with its code's status", async () => {
    await fc.assert(
      fc.asyncProperty(requestArbitrary("placeholder"), async (generated) => {
        const path = generated.path.replaceAll("placeholder", vmId);
        const headers: Record<string, string> = {};
        if (generated.idempotencyKey !== undefined && generated.idempotencyKey !== "") {
          headers["idempotency-key"] = generated.idempotencyKey;
        }
        const hasBody = generated.body !== undefined && generated.method !== "GET";
        const response = await client.call(generated.method, path, {
          key:
            generated.auth === "valid"
              ? undefined
              : generated.auth === "none"
                ? null
                : "ark_test_bogus",
          rawBody: hasBody ? generated.body : undefined,
          headers,
        });
        expect(response.status).toBeLessThan(500);
        expect(typeof response.headers["x-request-id"]).toBe("string");
        if (response.status >= 400) {
          expect(keysOf(response.json)).toEqual(["code", "message"]);
          const status = ERROR_STATUS[response.json.code as keyof typeof ERROR_STATUS];
          expect(status).toBe(response.status);
          expect(typeof response.json.message).toBe("string");
        }
      }),
      { numRuns, seed: 20250101 },
    );
    const health = await client.call("GET", "/v1/health", { key: null });
    expect(health.status).toBe(200);
  }, 60_000);
});
