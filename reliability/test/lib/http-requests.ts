import fc from "fast-check";

/** One raw HTTP request to throw at the fake. */
export interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
}

/** Real ids to aim at, so that random requests also reach deep into handlers. */
export interface KnownIds {
  vm: string[];
  run: string[];
  session: string[];
  filesystem: string[];
  sync: string[];
  blob: string[];
}

const ROUTES = [
  "/v1/health",
  "/v1/fork",
  "/v1/vms",
  "/v1/vms/{vm}",
  "/v1/vms/{vm}/resize",
  "/v1/vms/{vm}/runs",
  "/v1/vms/{vm}/runs/{run}",
  "/v1/vms/{vm}/sessions",
  "/v1/vms/{vm}/sessions/{session}",
  "/v1/vms/{vm}/sync",
  "/v1/vms/{vm}/syncs",
  "/v1/vms/{vm}/syncs/{sync}",
  "/v1/filesystems",
  "/v1/filesystems/{filesystem}",
  "/_fake/blobs/{blob}",
];

const weirdSegment = fc.oneof(
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
  fc.constantFrom("%zz", "%", "%E0%A4%A", "..", ".", "", "vm_", "a%2Fb", "%00", "%FF"),
  fc.stringMatching(/^[A-Za-z0-9_-]{0,40}$/),
);

function idFor(kind: keyof KnownIds, known: KnownIds): fc.Arbitrary<string> {
  if (known[kind].length === 0) return weirdSegment;
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...known[kind]) },
    { weight: 1, arbitrary: weirdSegment },
  );
}

/** A path: a known route with real or random ids, maybe under `/api`, maybe with junk. */
export function rawPath(known: KnownIds): fc.Arbitrary<string> {
  const templated = fc.constantFrom(...ROUTES).chain((template) => {
    const kinds = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as keyof KnownIds);
    return fc.tuple(...kinds.map((kind) => idFor(kind, known))).map((ids) => {
      let index = 0;
      return template.replace(/\{\w+\}/g, () => ids[index++]!);
    });
  });
  const junk = fc.array(weirdSegment, { maxLength: 6 }).map((parts) => `/${parts.join("/")}`);
  return fc
    .tuple(
      fc.oneof({ weight: 9, arbitrary: templated }, { weight: 1, arbitrary: junk }),
      fc.boolean(),
      fc.boolean(),
      fc.option(fc.dictionary(fc.stringMatching(/^[a-z_]{1,12}$/), fc.string({ maxLength: 12 })), {
        nil: undefined,
      }),
    )
    .map(([path, api, slash, query]) => {
      const search = query ? new URLSearchParams(query).toString() : "";
      return `${api ? "/api" : ""}${path}${slash ? "/" : ""}${search ? `?${search}` : ""}`;
    });
}

const jsonBody = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  fc
    .record(
      {
        command: fc.string({ maxLength: 20 }),
        op: fc.constantFrom("read", "write", "delete", ""),
        path: fc.oneof(fc.string({ maxLength: 20 }), fc.constant("/home/user/x")),
        writes: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
        source_vm_name: fc.constantFrom("ubuntu-full", "nope", ""),
        source_org_id: fc.constantFrom("ArkerHQ", "org_x"),
        vcpu_count: fc.jsonValue({ maxDepth: 0 }),
        memory_mib: fc.jsonValue({ maxDepth: 0 }),
        name: fc.string({ maxLength: 20 }),
        filesystem_id: fc.string({ maxLength: 20 }),
        background: fc.jsonValue({ maxDepth: 0 }),
        timeout: fc.jsonValue({ maxDepth: 0 }),
        env: fc.jsonValue({ maxDepth: 1 }),
      },
      { requiredKeys: [] },
    )
    .map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 60 }),
);

/** A random body: JSON (random or shaped like the API's), text, raw bytes, or none. */
export const rawBody: fc.Arbitrary<string | Uint8Array | undefined> = fc.oneof(
  { weight: 5, arbitrary: jsonBody },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) },
  { weight: 1, arbitrary: jsonBody.map((text) => text.slice(0, Math.max(0, text.length - 1))) },
  { weight: 2, arbitrary: fc.constant(undefined) },
);

/** Random headers: auth good, bad or missing; idempotency keys; content types; junk. */
export function rawHeaders(apiKey: string): fc.Arbitrary<Record<string, string>> {
  return fc
    .record(
      {
        authorization: fc.oneof(
          { weight: 4, arbitrary: fc.constant(`Bearer ${apiKey}`) },
          {
            weight: 1,
            arbitrary: fc.constantFrom(
              "Bearer",
              "Bearer ",
              `Basic ${apiKey}`,
              "Bearer ark_live_nope",
              apiKey,
            ),
          },
        ),
        "idempotency-key": fc.oneof(
          fc.uuid(),
          fc
            .string({ maxLength: 80, unit: "grapheme-ascii" })
            .map((s) => s.replace(/[^\x20-\x7e]/g, "")),
        ),
        "content-type": fc.constantFrom(
          "application/json",
          "text/plain",
          "application/octet-stream",
          "application/json; charset=utf-8",
          "",
        ),
        "x-junk": fc.stringMatching(/^[A-Za-z0-9 ;=,.-]{0,40}$/),
      },
      { requiredKeys: [] },
    )
    .map((headers) => Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== "")));
}

/** Methods: the API's, plus ones it does not use. */
export const rawMethod = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom("GET", "POST", "DELETE", "PUT") },
  { weight: 1, arbitrary: fc.constantFrom("PATCH", "OPTIONS", "HEAD", "TRACE", "PROPFIND") },
);

/** A whole random request. */
export function rawRequest(known: KnownIds, apiKey: string): fc.Arbitrary<RawRequest> {
  return fc
    .record({
      method: rawMethod,
      path: rawPath(known),
      headers: rawHeaders(apiKey),
      body: rawBody,
    })
    .map((request) =>
      request.method === "GET" || request.method === "HEAD" || request.method === "TRACE"
        ? { ...request, body: undefined }
        : request,
    );
}
