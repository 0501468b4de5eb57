import type { Arker } from "@arker-ai/sdk";
import fc from "fast-check";

/** The origin the garbled server answers on (a MockAgent, nothing resolves it). */
export const GARBLED_ORIGIN = "http://garbled.invalid";

/** One answer of a misbehaving server. */
export interface GarbledAnswer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

const anyScalar = fc.jsonValue({ maxDepth: 0 });
const fieldValue = fc.oneof(
  { weight: 3, arbitrary: anyScalar },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom<unknown>(
      "vm_1",
      "run_1",
      "running",
      "completed",
      "failed",
      "utf-8",
      "utf8",
      "base64",
      "aGVsbG8=",
      "%%%",
      "",
      0,
      -1,
      5,
      4_194_305,
      1e308,
      null,
      true,
      `${GARBLED_ORIGIN}/_fake/blobs/token`,
      "not a url",
      "ftp://elsewhere.invalid/x",
      [],
      [{}],
    ),
  },
);

/** An object shaped like the API's answers, with every field of any type. */
const shaped = fc
  .record(
    {
      vm_id: fieldValue,
      run_id: fieldValue,
      state: fieldValue,
      stdout: fieldValue,
      stdout_encoding: fieldValue,
      stderr: fieldValue,
      exit_code: fieldValue,
      session_id: fieldValue,
      size: fieldValue,
      content: fieldValue,
      encoding: fieldValue,
      presigned_url: fieldValue,
      upload_id: fieldValue,
      ok: fieldValue,
      results: fc.oneof(
        fieldValue,
        fc.array(
          fc.record(
            {
              written: fieldValue,
              complete: fieldValue,
              presigned_url: fieldValue,
              upload_id: fieldValue,
              error: fc.oneof(fieldValue, fc.record({ code: fieldValue, message: fieldValue })),
            },
            { requiredKeys: [] },
          ),
          { maxLength: 2 },
        ),
      ),
      vms: fieldValue,
      runs: fieldValue,
      sessions: fieldValue,
      syncs: fieldValue,
      filesystems: fieldValue,
      next_cursor: fieldValue,
      code: fieldValue,
      message: fieldValue,
      error: fieldValue,
    },
    { requiredKeys: [] },
  )
  .map((value) => JSON.stringify(value));

/** Status, body and headers of a server that answers anything. */
export const garbledAnswer: fc.Arbitrary<GarbledAnswer> = fc.record({
  status: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(200, 201, 202) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(204, 301, 400, 404, 409, 413, 422, 429, 500, 502, 503),
    },
    { weight: 1, arbitrary: fc.integer({ min: 200, max: 599 }) },
  ),
  body: fc.oneof(
    { weight: 6, arbitrary: shaped },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 50 }) },
    { weight: 1, arbitrary: fc.constant("") },
  ),
  headers: fc.record(
    {
      "retry-after": fc.constantFrom("0", "-5", "abc", "1e9", "Wed, 21 Oct 2015 07:28:00 GMT"),
      "x-request-id": fc.constantFrom("req_1", ""),
      "content-type": fc.constantFrom("application/json", "text/html"),
    },
    { requiredKeys: [] },
  ),
});

/** An SDK call that talks to the garbled server. */
export interface GarbledCall {
  label: string;
  call(ar: Arker): Promise<unknown>;
}

const BIG = new Uint8Array(4 * 1024 * 1024 + 1);

/** Every kind of call, one request or several (uploads, pages, polls). */
export const garbledCall: fc.Arbitrary<GarbledCall> = fc.constantFrom<GarbledCall>(
  { label: "fork", call: (ar) => ar.fork("ubuntu-full") },
  { label: "get", call: (ar) => ar.getVm("vm_1") },
  { label: "run", call: (ar) => ar.vm("vm_1").run("true") },
  { label: "getRun", call: (ar) => ar.vm("vm_1").getRun("run_1") },
  {
    label: "waitForRun",
    call: (ar) =>
      ar.vm("vm_1").waitForRun("run_1", { pollIntervalMs: 10, signal: AbortSignal.timeout(100) }),
  },
  {
    label: "listVms (every page)",
    call: async (ar) => {
      let pages = 0;
      for await (const _ of await ar.listVms()) if (++pages > 20) break;
    },
  },
  { label: "readFile", call: (ar) => ar.vm("vm_1").readFile("/f") },
  { label: "writeFile inline", call: (ar) => ar.vm("vm_1").writeFile("/f", "hello") },
  { label: "writeFile via signed URL", call: (ar) => ar.vm("vm_1").writeFile("/f", BIG) },
  { label: "createSession", call: (ar) => ar.vm("vm_1").createSession() },
  { label: "listSessions", call: (ar) => ar.vm("vm_1").listSessions() },
  {
    label: "createSync",
    call: (ar) => ar.vm("vm_1").createSync({ filesystemId: "fs_1", path: "/m" }),
  },
  { label: "listSyncs", call: (ar) => ar.vm("vm_1").listSyncs() },
  { label: "createFilesystem", call: (ar) => ar.createFilesystem({ name: "x" }) },
  { label: "listFilesystems", call: (ar) => ar.listFilesystems() },
  { label: "resize", call: (ar) => ar.vm("vm_1").resize({ vcpu_count: 2 }) },
  { label: "delete", call: (ar) => ar.vm("vm_1").delete() },
  { label: "cancelRun", call: (ar) => ar.vm("vm_1").cancelRun("run_1") },
);
