import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it, vi } from "vitest";
import { HostPolicy } from "../src/http/host-policy.js";
import type { FakeOutcome, FakeRequest, FakeResponse } from "../src/http/http-types.js";
import { RequestPipeline } from "../src/pipeline/request-pipeline.js";
import type { BodyReader } from "../src/routes/body-reader.js";
import { StatusAnswer, UpgradeAnswer } from "../src/routes/handler-types.js";
import type { QueryReader } from "../src/routes/query-reader.js";
import { type ErasedContext, ROUTE_ENTRIES, type RouteEntry } from "../src/routes/route-entries.js";
import type { SessionRecord } from "../src/stores/records.js";
import { ApiError } from "../src/support/errors.js";
import { type FakeArkerOptions, resolveOptions } from "../src/support/options.js";

// The request pipeline on its own, without a door: what `wantsBody` decides from a head,
// how `handle` routes, logs and answers, its faults, and its errors' exact envelopes.

const opened: RequestPipeline[] = [];
afterEach(() => {
  for (const pipeline of opened.splice(0)) pipeline.close();
});

function open(options: FakeArkerOptions = {}): RequestPipeline {
  const resolved = resolveOptions({ python: false, clock: "manual", ...options });
  const pipeline = new RequestPipeline(resolved, new HostPolicy(undefined, ["fake.test"]));
  opened.push(pipeline);
  return pipeline;
}

const encoder = new TextEncoder();

/** A request; `json` becomes the body with its content type, `key` the bearer. */
function req(
  method: string,
  target: string,
  extra: Partial<FakeRequest> & { json?: unknown; key?: string } = {},
): FakeRequest {
  const { json, key, ...rest } = extra;
  const headers: Record<string, string> = { ...(rest.headers ?? {}) };
  if (key !== undefined) headers.authorization = `Bearer ${key}`;
  if (json !== undefined) headers["content-type"] ??= "application/json";
  return {
    method,
    target,
    body: json === undefined ? null : encoder.encode(JSON.stringify(json)),
    origin: "http://fake.test",
    ...rest,
    headers,
  };
}

/** The response of an outcome (fails on a reset). */
function responseOf(outcome: FakeOutcome): FakeResponse {
  if (outcome.type !== "response") throw new Error("expected a response, got a reset");
  return outcome.response;
}

async function send(pipeline: RequestPipeline, request: FakeRequest) {
  const response = responseOf(await pipeline.handle(request));
  const text = Buffer.from(response.body).toString("utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, response };
}

function keyOf(pipeline: RequestPipeline): string {
  return pipeline.state.options.apiKey;
}

/** A handler context's readers, typed for any field. */
const queryOf = (context: ErasedContext) => context.query as QueryReader<Record<string, unknown>>;
const bodyOf = (context: ErasedContext) => context.body as BodyReader<Record<string, unknown>>;

const lastLog = (pipeline: RequestPipeline) => pipeline.state.requestLog.snapshot().at(-1);

describe("wantsBody", () => {
  const head = (method: string, target: string, headers: Record<string, string> = {}) => ({
    method,
    target,
    headers,
  });

  it("wants a tunnel's body always, and no body for a path no route serves", () => {
    const pipeline = open();
    expect(pipeline.wantsBody(head("POST", "/_tunnels/vm_x/80/up"))).toBe(true);
    expect(pipeline.wantsBody(head("POST", "/v1/nothing"))).toBe(false);
    expect(pipeline.wantsBody(head("DELETE", "/v1/health"))).toBe(false);
  });

  it("wants an API route's body only with a key that passes; a route without auth always", () => {
    const pipeline = open();
    const auth = { authorization: `Bearer ${keyOf(pipeline)}` };
    expect(pipeline.wantsBody(head("POST", "/v1/fork", auth))).toBe(true);
    expect(pipeline.wantsBody(head("post", "/api/v1/fork", auth))).toBe(true);
    expect(pipeline.wantsBody(head("POST", "/v1/fork?x=1", auth))).toBe(true);
    expect(pipeline.wantsBody(head("POST", "/v1/fork", { authorization: "Bearer nope" }))).toBe(
      false,
    );
    expect(pipeline.wantsBody(head("POST", "/v1/fork"))).toBe(false);
    expect(pipeline.wantsBody(head("GET", "/v1/health"))).toBe(true);
  });

  it("wants a control's body only with the key or control token and a served origin", () => {
    const pipeline = open();
    const token = pipeline.state.options.controlToken;
    expect(
      pipeline.wantsBody(head("POST", "/_fake/orgs", { authorization: `Bearer ${token}` })),
    ).toBe(true);
    expect(
      pipeline.wantsBody(
        head("POST", "/_fake/orgs", { authorization: `Bearer ${keyOf(pipeline)}` }),
      ),
    ).toBe(true);
    expect(pipeline.wantsBody(head("POST", "/_fake/orgs"))).toBe(false);
    expect(
      pipeline.wantsBody(
        head("POST", "/_fake/orgs", {
          authorization: `Bearer ${token}`,
          origin: "http://evil.example",
        }),
      ),
    ).toBe(false);
    // Its content type is not judged from the head: the body may still fix it.
    expect(
      pipeline.wantsBody(
        head("POST", "/_fake/orgs", {
          authorization: `Bearer ${token}`,
          "content-type": "text/plain",
        }),
      ),
    ).toBe(true);
  });

  it("wants a signed URL's body only for a known PUT grant", () => {
    const pipeline = open();
    expect(pipeline.wantsBody(head("PUT", "/_fake/blobs/unknown"))).toBe(false);
    expect(pipeline.wantsBody(head("GET", "/_fake/blobs/unknown"))).toBe(false);
    const expiresAt = pipeline.state.clock.now() + 60_000;
    const put = pipeline.state.files.grant({ method: "PUT", expiresAt, vmId: "vm", uploadId: "u" });
    const get = pipeline.state.files.grant({
      method: "GET",
      expiresAt,
      content: new Uint8Array(1),
    });
    expect(pipeline.wantsBody(head("PUT", `/_fake/blobs/${put.token}`))).toBe(true);
    expect(pipeline.wantsBody(head("PUT", `/_fake/blobs/${get.token}`))).toBe(false);
  });
});

describe("routing", () => {
  it("answers a route at once, with its request id, and logs it with its query", () => {
    const pipeline = open();
    const outcome = pipeline.handle(req("get", "/api/v1/health?a=1&b=2"));
    expect(outcome).not.toBeInstanceOf(Promise);
    const response = responseOf(outcome as FakeOutcome);
    expect(response.status).toBe(200);
    expect(response.headers["x-request-id"]).toMatch(/^req_/);
    expect(lastLog(pipeline)).toMatchObject({
      requestId: response.headers["x-request-id"],
      method: "GET",
      path: "/api/v1/health",
      query: "a=1&b=2",
      status: 200,
      idempotencyKey: null,
      orgId: null,
      replayed: false,
      fault: null,
    });
  });

  it("names an unknown route, and the methods a known path allows", async () => {
    const pipeline = open();
    const none = await send(pipeline, req("GET", "/v1/nothing?x=1"));
    expect(none.status).toBe(404);
    expect(none.json).toEqual({ code: "not_found", message: "no route GET /v1/nothing" });
    const wrong = await send(pipeline, req("DELETE", "/api/v1/health"));
    expect(wrong.status).toBe(404);
    expect(wrong.json).toEqual({
      code: "not_found",
      message: "no route DELETE /v1/health (allowed: GET)",
    });
    const several = await send(pipeline, req("PUT", "/v1/vms/vm_x"));
    expect((several.json as { message: string }).message).toBe(
      "no route PUT /v1/vms/vm_x (allowed: GET, DELETE, PATCH)",
    );
    expect(lastLog(pipeline)).toMatchObject({ method: "PUT", path: "/v1/vms/vm_x", status: 404 });
    const bad = await send(pipeline, req("GET", "/v1/vms/%E0%A4", { key: keyOf(pipeline) }));
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({
      code: "bad_request",
      message: "path is not correctly URL-encoded",
    });
  });

  it("logs the caller's org for a route with auth, and the idempotency key sent", async () => {
    const pipeline = open();
    const answer = await send(
      pipeline,
      req("POST", "/v1/fork", {
        key: keyOf(pipeline),
        json: { source_vm_name: "ubuntu", source_org_id: "ArkerHQ" },
        headers: { "idempotency-key": "k-1" },
      }),
    );
    expect(answer.status).toBe(200);
    expect(lastLog(pipeline)).toMatchObject({
      orgId: pipeline.state.options.orgId,
      idempotencyKey: "k-1",
      replayed: false,
      status: 200,
    });
  });
});

/** Swaps a route's handler for the test (restored after it). */
function stubHandler(name: string, handle: RouteEntry["handle"]): ErasedContext[] {
  const entry = ROUTE_ENTRIES.find((candidate) => candidate.name === name);
  if (entry === undefined) throw new Error(`no route ${name}`);
  const original = entry.handle;
  const seen: ErasedContext[] = [];
  (entry as { handle: RouteEntry["handle"] }).handle = (context) => {
    seen.push(context);
    return handle(context);
  };
  restores.push(() => {
    (entry as { handle: RouteEntry["handle"] }).handle = original;
  });
  return seen;
}
const restores: Array<() => void> = [];
function unstub(): void {
  for (const restore of restores.splice(0)) restore();
}
afterEach(unstub);

describe("handler answers", () => {
  it("sends bytes as octet-stream, a status answer with its status, plain values as 200 JSON", async () => {
    const pipeline = open();
    stubHandler("health", () => new Uint8Array([1, 2, 3]));
    const bytes = await send(pipeline, req("GET", "/v1/health"));
    expect(bytes.status).toBe(200);
    expect(bytes.headers["content-type"]).toBe("application/octet-stream");
    expect([...bytes.response.body]).toEqual([1, 2, 3]);
    unstub();
    stubHandler("health", () => new StatusAnswer(202, { queued: true }));
    const status = await send(pipeline, req("GET", "/v1/health"));
    expect(status.status).toBe(202);
    expect(status.json).toEqual({ queued: true });
    expect(lastLog(pipeline)?.status).toBe(202);
  });

  it("hands the handler its params, query, JSON body, origin and accept", async () => {
    const pipeline = open();
    const seen = stubHandler("getVm", () => ({ ok: true }));
    const answer = await send(
      pipeline,
      req("GET", "/v1/vms/vm_7?expand=yes", {
        key: keyOf(pipeline),
        headers: { accept: "text/plain" },
      }),
    );
    expect(answer.json).toEqual({ ok: true });
    const context = seen[0]!;
    expect(context.orgId).toBe(pipeline.state.options.orgId);
    expect(context.params).toEqual({ vm_id: "vm_7" });
    expect(queryOf(context).string("expand")).toBe("yes");
    expect(context.bytes).toBeNull();
    expect(context.origin).toBe("http://fake.test");
    expect(context.accept).toBe("text/plain");
    await send(pipeline, req("GET", "/v1/vms/vm_7", { key: keyOf(pipeline) }));
    expect(seen[1]!.accept).toBe("");
    const health = stubHandler("health", () => ({ ok: true }));
    await send(pipeline, req("GET", "/v1/health"));
    expect(health[0]!.orgId).toBe("");
  });

  it("turns a handler's API error into the envelope, sync or async", async () => {
    const pipeline = open();
    stubHandler("health", () => {
      throw new ApiError("conflict", "sync no");
    });
    expect((await send(pipeline, req("GET", "/v1/health"))).json).toEqual({
      code: "conflict",
      message: "sync no",
    });
    unstub();
    stubHandler("health", () => Promise.reject(new ApiError("conflict", "async no")));
    const answer = await send(pipeline, req("GET", "/v1/health"));
    expect(answer.status).toBe(409);
    expect(answer.json).toEqual({ code: "conflict", message: "async no" });
    expect(answer.headers["x-request-id"]).toMatch(/^req_/);
    expect(lastLog(pipeline)?.status).toBe(409);
  });

  it("answers anything else a handler throws as a 500 naming a fake server bug", async () => {
    const pipeline = open();
    const cases: Array<[RouteEntry["handle"], string]> = [
      [
        () => {
          throw new TypeError("sync bug");
        },
        "fake server bug: sync bug",
      ],
      [() => Promise.reject(new Error("async bug")), "fake server bug: async bug"],
      [() => Promise.reject("a string"), "fake server bug: a string"],
    ];
    for (const [handle, message] of cases) {
      unstub();
      stubHandler("health", handle);
      const answer = await send(pipeline, req("GET", "/v1/health"));
      expect(answer.status).toBe(500);
      expect(answer.json).toEqual({ code: "internal", message });
      expect(answer.headers["x-request-id"]).toMatch(/^req_/);
      expect(lastLog(pipeline)?.status).toBe(500);
    }
  });

  it("answers a bug before the handler (in auth) as a 500 too", async () => {
    const pipeline = open();
    vi.spyOn(pipeline.state.orgs, "authenticate").mockImplementation(() => {
      throw new Error("store broke");
    });
    const answer = await send(pipeline, req("GET", "/v1/vms", { key: keyOf(pipeline) }));
    expect(answer.status).toBe(500);
    expect(answer.json).toEqual({ code: "internal", message: "fake server bug: store broke" });
  });
});

describe("controls", () => {
  it("answer with a request id, are not logged, and need the key or the control token", async () => {
    const pipeline = open();
    const answer = await send(pipeline, req("GET", "/_fake/clock", { key: keyOf(pipeline) }));
    expect(answer.status).toBe(200);
    expect(answer.headers["x-request-id"]).toMatch(/^req_/);
    const refused = await send(pipeline, req("GET", "/_fake/clock"));
    expect(refused.status).toBe(401);
    expect(refused.headers["x-request-id"]).toMatch(/^req_/);
    expect(pipeline.state.requestLog.snapshot()).toEqual([]);
  });

  it("read a body as UTF-8, whether it is ASCII or not", async () => {
    const pipeline = open();
    const key = keyOf(pipeline);
    for (const name of ["plain-org", "café-org", "org-日本"]) {
      const answer = await send(pipeline, req("POST", "/_fake/orgs", { key, json: { name } }));
      expect(answer.json).toMatchObject({ org_id: name });
    }
  });

  it("refuse a path that is not URL-encoded, a body past the cap, and a body that is not a JSON object", async () => {
    const pipeline = open();
    const key = keyOf(pipeline);
    const cases: Array<[FakeRequest, number, string]> = [
      [req("POST", "/_fake/fail-host/%E0%A4", { key }), 400, "path is not correctly URL-encoded"],
      [
        req("POST", "/_fake/orgs", { key, json: {}, bodyTooLarge: 10 }),
        413,
        "request body exceeds the limit of 10 bytes",
      ],
      [
        req("POST", "/_fake/orgs", { key, json: {}, body: encoder.encode("{nope") }),
        400,
        "request body is not valid JSON",
      ],
      [
        req("POST", "/_fake/orgs", { key, json: {}, body: encoder.encode("[1]") }),
        400,
        "request body must be a JSON object",
      ],
      [
        req("POST", "/_fake/orgs", { key, json: {}, body: encoder.encode("null") }),
        400,
        "request body must be a JSON object",
      ],
    ];
    for (const [request, status, message] of cases) {
      const answer = await send(pipeline, request);
      expect(answer.status, message).toBe(status);
      expect((answer.json as { message: string }).message).toBe(message);
    }
  });

  it("check the key before the path, and log no control with a bad path", async () => {
    const pipeline = open();
    const refused = await send(pipeline, req("POST", "/_fake/fail-host/%E0%A4"));
    expect(refused.status).toBe(401);
    const bad = await send(
      pipeline,
      req("POST", "/_fake/fail-host/%E0%A4", { key: keyOf(pipeline) }),
    );
    expect(bad.status).toBe(400);
    expect(pipeline.state.requestLog.snapshot()).toEqual([]);
  });

  it("read an empty or blank body as {}, and take params, query and origin", async () => {
    const pipeline = open();
    const key = keyOf(pipeline);
    for (const body of [new Uint8Array(0), encoder.encode(" \n\t")]) {
      const answer = await send(pipeline, req("POST", "/_fake/orgs", { key, json: {}, body }));
      expect(answer.status).toBe(200);
    }
    const seen = stubHandler("failHost", () => ({ failed: true }));
    const answer = await send(pipeline, req("POST", "/_fake/fail-host/vm_9?x=y", { key }));
    expect(answer.json).toEqual({ failed: true });
    expect(seen[0]).toMatchObject({
      orgId: "",
      params: { vm_id: "vm_9" },
      bytes: null,
      accept: "",
    });
    expect(queryOf(seen[0]!).string("x")).toBe("y");
    expect(seen[0]!.origin).toBe("http://fake.test");
  });

  it("answer what a control throws as a 400 carrying its message", async () => {
    const pipeline = open();
    const key = keyOf(pipeline);
    const thrown: unknown[] = [new TypeError("bad rule"), "bad string"];
    vi.spyOn(pipeline.state.faults, "clear").mockImplementation(() => {
      throw thrown.shift();
    });
    for (const message of ["bad rule", "bad string"]) {
      const answer = await send(pipeline, req("DELETE", "/_fake/faults", { key }));
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({ code: "bad_request", message });
    }
  });
});

describe("faults", () => {
  it("answer an injected fault (even on an unknown path), with its retry-after, and log it", async () => {
    const pipeline = open();
    pipeline.state.faults.add({
      path: "/v1/*",
      effect: { type: "respond", status: 503, code: "unavailable", retryAfterSeconds: 7 },
    });
    const answer = await send(pipeline, req("GET", "/v1/nothing"));
    expect(answer.status).toBe(503);
    expect(answer.json).toEqual({ code: "unavailable", message: "injected fault" });
    expect(answer.headers["retry-after"]).toBe("7");
    expect(answer.headers["x-request-id"]).toMatch(/^req_/);
    expect(lastLog(pipeline)).toMatchObject({ status: 503, fault: "respond", path: "/v1/nothing" });
    pipeline.state.faults.clear();
    pipeline.state.faults.add({
      effect: { type: "respond", status: 500, code: "oops", message: "said so" },
    });
    const said = await send(pipeline, req("GET", "/v1/health"));
    expect(said.json).toEqual({ code: "oops", message: "said so" });
    expect(said.headers["retry-after"]).toBeUndefined();
  });

  it("reset the connection before or after the route, and let an unmatched request through", async () => {
    const pipeline = open();
    pipeline.state.faults.add({ path: "/v1/health", effect: { type: "reset-before" }, times: 1 });
    const seen = stubHandler("health", () => ({ ok: true }));
    expect(await pipeline.handle(req("GET", "/v1/health"))).toEqual({ type: "reset" });
    expect(seen).toHaveLength(0);
    expect(lastLog(pipeline)).toMatchObject({ status: 0, fault: "reset-before" });
    pipeline.state.faults.add({ path: "/v1/health", effect: { type: "reset-after" }, times: 1 });
    expect(await pipeline.handle(req("GET", "/v1/health"))).toEqual({ type: "reset" });
    expect(seen).toHaveLength(1);
    expect(lastLog(pipeline)).toMatchObject({ status: 0, fault: "reset-after" });
    pipeline.state.faults.add({ path: "/v1/other", effect: { type: "reset-before" } });
    const through = await send(pipeline, req("GET", "/v1/health"));
    expect(through.status).toBe(200);
    expect(lastLog(pipeline)).toMatchObject({ status: 200, fault: null });
  });

  it("answer a route's errors under fault rules as without them", async () => {
    const pipeline = open();
    pipeline.state.faults.add({ path: "/v1/other", effect: { type: "reset-before" } });
    const none = await send(pipeline, req("GET", "/v1/nothing"));
    expect(none.json).toEqual({ code: "not_found", message: "no route GET /v1/nothing" });
    stubHandler("health", () => Promise.reject(new Error("bug")));
    const bug = await send(pipeline, req("GET", "/v1/health"));
    expect(bug.status).toBe(500);
    expect(bug.json).toEqual({ code: "internal", message: "fake server bug: bug" });
  });

  /** Handles a request, noting when its outcome is settled. */
  function watch(pipeline: RequestPipeline, request: FakeRequest) {
    const watched = { settled: false, outcome: undefined as FakeOutcome | undefined };
    void Promise.resolve(pipeline.handle(request)).then((outcome) => {
      watched.settled = true;
      watched.outcome = outcome;
    });
    return watched;
  }
  /** Lets every promise chain that does not wait on a timer settle (setImmediate is real). */
  const turn = () => new Promise((resolve) => setImmediate(resolve));

  it("delay by a latency fault until its time has passed", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const pipeline = open();
      pipeline.state.faults.add({ path: "/v1/health", effect: { type: "latency", ms: 60_000 } });
      const watched = watch(pipeline, req("GET", "/v1/health"));
      await turn();
      expect(watched.settled).toBe(false);
      vi.advanceTimersByTime(59_999);
      await turn();
      expect(watched.settled).toBe(false);
      vi.advanceTimersByTime(1);
      await turn();
      expect(watched.settled).toBe(true);
      expect(responseOf(watched.outcome!).status).toBe(200);
      expect(lastLog(pipeline)).toMatchObject({ status: 200, fault: "latency" });
    } finally {
      vi.useRealTimers();
    }
  });

  it("end every delay at once on close, and wait no more once closed", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const pipeline = open();
      pipeline.state.faults.add({ path: "/v1/health", effect: { type: "latency", ms: 60_000 } });
      const first = watch(pipeline, req("GET", "/v1/health"));
      const second = watch(pipeline, req("GET", "/v1/health"));
      await turn();
      expect([first.settled, second.settled]).toEqual([false, false]);
      pipeline.close();
      await turn();
      expect([first.settled, second.settled]).toEqual([true, true]);
      expect(responseOf(first.outcome!).status).toBe(200);
      expect(vi.getTimerCount()).toBe(0);
      const later = watch(pipeline, req("GET", "/v1/health"));
      await turn();
      expect(later.settled).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it("wait no time for a latency of 0 ms", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const pipeline = open();
      pipeline.state.faults.add({ path: "/v1/health", effect: { type: "latency", ms: 0 } });
      const watched = watch(pipeline, req("GET", "/v1/health"));
      await turn();
      expect(watched.settled).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("the terminal route (a WebSocket)", () => {
  const ptyPath = "/v1/vms/vm_1/sessions/sess_1/pty";

  function ticketFor(pipeline: RequestPipeline, vmId: string, sessionId: string): string {
    const session = { id: sessionId, vmId } as SessionRecord;
    return pipeline.state.sessions.issuePtyTicket(session, "org_ticket").ticket;
  }

  it("takes a ticket of that very session in place of the key", async () => {
    const pipeline = open();
    const seen = stubHandler("openPty", () => ({ ok: true }));
    const ticket = ticketFor(pipeline, "vm_1", "sess_1");
    const answer = await send(pipeline, req("GET", `${ptyPath}?ticket=${ticket}`));
    expect(answer.status).toBe(200);
    expect(seen[0]!.orgId).toBe("org_ticket");
    expect(lastLog(pipeline)?.orgId).toBe("org_ticket");
    for (const other of [
      ticketFor(pipeline, "vm_2", "sess_1"),
      ticketFor(pipeline, "vm_1", "sess_2"),
      "ptyt_unknown",
    ]) {
      const refused = await send(pipeline, req("GET", `${ptyPath}?ticket=${other}`));
      expect(refused.status).toBe(401);
      expect(refused.json).toEqual({
        code: "unauthorized",
        message: "unknown or expired PTY ticket",
      });
    }
    expect(seen).toHaveLength(1);
  });

  it("checks the key when one is sent, ticket or not", async () => {
    const pipeline = open();
    const seen = stubHandler("openPty", () => ({ ok: true }));
    const ticket = ticketFor(pipeline, "vm_1", "sess_1");
    const badKey = await send(pipeline, req("GET", `${ptyPath}?ticket=${ticket}`, { key: "nope" }));
    expect(badKey.status).toBe(401);
    expect((badKey.json as { message: string }).message).not.toBe("unknown or expired PTY ticket");
    const noTicket = await send(pipeline, req("GET", ptyPath));
    expect(noTicket.status).toBe(401);
    expect((noTicket.json as { message: string }).message).not.toBe(
      "unknown or expired PTY ticket",
    );
    const keyed = await send(pipeline, req("GET", `${ptyPath}?ticket=x`, { key: keyOf(pipeline) }));
    expect(keyed.status).toBe(200);
    expect(seen.map((context) => context.orgId)).toEqual([pipeline.state.options.orgId]);
  });

  it("upgrades only a request that asks for a WebSocket (in any case)", async () => {
    const pipeline = open();
    const open101 = () => {
      throw new Error("not opened in this test");
    };
    stubHandler("openPty", () => new UpgradeAnswer(open101 as never));
    const key = keyOf(pipeline);
    const upgraded = responseOf(
      await pipeline.handle(req("GET", ptyPath, { key, upgrade: "WebSocket" })),
    );
    expect(upgraded.status).toBe(101);
    expect(upgraded.upgrade).toBe(open101);
    expect(upgraded.body.byteLength).toBe(0);
    for (const upgrade of [undefined, "h2c"]) {
      const plain = await send(pipeline, req("GET", ptyPath, { key, upgrade }));
      expect(plain.status).toBe(400);
      expect(plain.json).toEqual({
        code: "bad_request",
        message: `${ptyPath} is a WebSocket: send it with Upgrade: websocket`,
      });
    }
    unstub();
    stubHandler("openPty", async () => new UpgradeAnswer(open101 as never));
    const late = await send(pipeline, req("GET", `/api${ptyPath}`, { key }));
    expect(late.status).toBe(400);
    expect((late.json as { message: string }).message).toBe(
      `${ptyPath} is a WebSocket: send it with Upgrade: websocket`,
    );
  });
});

describe("bodies", () => {
  it("hands a raw-body route its bytes unparsed, and parses no GET body", async () => {
    const pipeline = open();
    const key = keyOf(pipeline);
    const raw = stubHandler("syncStream", () => ({ ok: true }));
    const bytes = encoder.encode("{not json");
    const answer = await send(
      pipeline,
      req("POST", "/v1/vms/vm_1/sync-stream", { key, body: bytes }),
    );
    expect(answer.status).toBe(200);
    expect(raw[0]!.bytes).toBe(bytes);
    expect(bodyOf(raw[0]!).value("anything")).toBeUndefined();
    const get = stubHandler("getVm", () => ({ ok: true }));
    const read = await send(pipeline, req("GET", "/v1/vms/vm_1", { key, body: bytes }));
    expect(read.status).toBe(200);
    expect(get[0]!.bytes).toBeNull();
  });

  it("parses a JSON body, gzipped or not, and refuses one that is not JSON", async () => {
    const pipeline = open();
    const key = keyOf(pipeline);
    const seen = stubHandler("createSession", () => ({ ok: true }));
    const path = "/v1/vms/vm_1/sessions";
    await send(pipeline, req("POST", path, { key, json: { cwd: "/tmp" } }));
    await send(
      pipeline,
      req("POST", path, {
        key,
        json: {},
        body: gzipSync(JSON.stringify({ cwd: "/gz" })),
        headers: { "content-encoding": "gzip" },
      }),
    );
    expect(seen.map((context) => bodyOf(context).value("cwd"))).toEqual(["/tmp", "/gz"]);
    const bad = await send(
      pipeline,
      req("POST", path, { key, json: {}, body: encoder.encode("{") }),
    );
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ code: "bad_request", message: "request body is not valid JSON" });
  });

  it("answers a body past the cap with 413 once the key passes, and 401 before", async () => {
    const pipeline = open();
    const path = "/v1/vms/vm_1/sessions";
    const seen = stubHandler("createSession", () => ({ ok: true }));
    const unauth = await send(pipeline, req("POST", path, { key: "nope", bodyTooLarge: 64 }));
    expect(unauth.status).toBe(401);
    const large = await send(
      pipeline,
      req("POST", path, { key: keyOf(pipeline), bodyTooLarge: 64 }),
    );
    expect(large.status).toBe(413);
    expect(large.json).toEqual({
      code: "payload_too_large",
      message: "request body exceeds the limit of 64 bytes",
    });
    expect(lastLog(pipeline)).toMatchObject({ status: 413, orgId: pipeline.state.options.orgId });
    expect(seen).toHaveLength(0);
  });

  it("replays a retry under the same key and refuses the key with another body", async () => {
    const pipeline = open();
    const key = keyOf(pipeline);
    const headers = { "idempotency-key": "same" };
    const body = { source_vm_name: "ubuntu", source_org_id: "ArkerHQ" };
    const first = await send(pipeline, req("POST", "/v1/fork", { key, headers, json: body }));
    expect(lastLog(pipeline)?.replayed).toBe(false);
    const again = await send(pipeline, req("POST", "/v1/fork", { key, headers, json: body }));
    expect(again.json).toEqual(first.json);
    expect(lastLog(pipeline)?.replayed).toBe(true);
    const other = await send(
      pipeline,
      req("POST", "/v1/fork", { key, headers, json: { ...body, name: "other" } }),
    );
    expect(other.status).toBe(409);
    const bad = await send(
      pipeline,
      req("POST", "/v1/fork", { key, headers: { "idempotency-key": "" }, json: body }),
    );
    expect(bad.status).toBe(400);
  });

  it("logs a signed URL under its route's path, not its token", async () => {
    const pipeline = open();
    const answer = await send(pipeline, req("GET", "/_fake/blobs/secret-token?x=1"));
    expect(answer.status).toBe(404);
    expect(lastLog(pipeline)).toMatchObject({ path: "/_fake/blobs/{token}", query: "x=1" });
    await send(pipeline, req("GET", "/_fake/blobs/%E0%A4"));
    expect(lastLog(pipeline)?.path).toBe("/_fake/blobs/{token}");
  });
});

describe("tunnel traffic", () => {
  it("logs it without the idempotency key, and answers a bug as a 500", async () => {
    const pipeline = open();
    const path = "/_tunnels/vm_x/80/up";
    const before = performance.now();
    const missing = await send(
      pipeline,
      req("POST", `${path}?q=1`, { headers: { "idempotency-key": "k" } }),
    );
    expect(missing.status).toBe(404);
    expect(missing.headers["x-request-id"]).toMatch(/^req_/);
    expect(lastLog(pipeline)).toEqual({
      requestId: missing.headers["x-request-id"],
      method: "POST",
      path,
      query: "q=1",
      status: 404,
      idempotencyKey: null,
      orgId: null,
      durationMs: expect.any(Number),
      at: pipeline.state.clock.iso(),
      replayed: false,
      fault: null,
    });
    const duration = lastLog(pipeline)!.durationMs;
    expect(duration).toBeGreaterThanOrEqual(0);
    expect(duration).toBeLessThanOrEqual(performance.now() - before);
    vi.spyOn(pipeline.state.vms, "get").mockImplementation(() => {
      throw new Error("vms broke");
    });
    const bug = await send(pipeline, req("GET", path));
    expect(bug.status).toBe(500);
    expect(bug.json).toEqual({ code: "internal", message: "fake server bug: vms broke" });
    expect(lastLog(pipeline)?.status).toBe(500);
  });

  it("answers a body past the cap with 413", async () => {
    const pipeline = open();
    const answer = await send(pipeline, req("POST", "/_tunnels/vm_x/80/", { bodyTooLarge: 5 }));
    expect(answer.status).toBe(413);
    expect(answer.json).toEqual({
      code: "payload_too_large",
      message: "request body exceeds the limit of 5 bytes",
    });
  });
});
