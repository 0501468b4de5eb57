import { ArkerError, ERROR_STATUS } from "@arker-ai/core";
import { Arker, type Vm } from "@arker-ai/sdk";
import type { FakeArker } from "@arker-ai/testing";
import fc from "fast-check";
import { Agent, MockAgent, request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { badCall } from "./lib/bad-inputs";
import { arkerFor, SOAK, startFake } from "./lib/connect";
import { errorDefect } from "./lib/errors";
import { bump, createFigures, saveFigures } from "./lib/figures";
import {
  GARBLED_ORIGIN,
  type GarbledAnswer,
  garbledAnswer,
  garbledCall,
} from "./lib/garbled-answers";
import { type KnownIds, type RawRequest, rawRequest } from "./lib/http-requests";

const SEED = 7_007;
const SDK_RUNS = SOAK ? 30_000 : 3_000;
const HTTP_RUNS = SOAK ? 20_000 : 2_000;
const GARBLED_RUNS = SOAK ? 20_000 : 2_000;

const figures = createFigures(
  "fuzz",
  "fast-check over the SDK's inputs (paths with `..`, NUL, relative, over 4 096 bytes, not strings; bad resize values; fork with both or no sources; bad run timeouts, per-call timeouts, page limits, idempotency keys, commands) — each must be refused client-side with `bad_request` and no request; over the SDK facing a server that answers anything (random statuses, bodies shaped like the API's with fields of any type, headers) — each call resolves or rejects with a well-formed `ArkerError`, never a TypeError or a hang; and over the fake's HTTP surface (random methods, paths, ids, queries, bodies, headers) — no crash, no 5xx, every 4xx in the flat envelope.",
);
afterAll(() => saveFigures(figures));

describe("fuzz: SDK inputs are refused before anything is sent", () => {
  let fake: FakeArker;
  let ar: Arker;
  let vm: Vm;
  let filesystemId: string;

  beforeAll(async () => {
    fake = await startFake({ seed: SEED });
    ar = arkerFor(fake);
    vm = await ar.fork("ubuntu-full", { name: "fuzz" });
    filesystemId = (await ar.createFilesystem({ name: "fuzz" })).filesystem_id;
  });
  afterAll(async () => {
    await ar.close();
    await fake.close();
  });

  it("counts requests: a valid call is seen by the fake (the control for the property)", async () => {
    const before = fake.requests.length;
    await vm.get();
    expect(fake.requests.length).toBe(before + 1);
  });

  it(`${SDK_RUNS} bad inputs: each rejected with bad_request (400, not retryable) and no request`, async () => {
    const kinds = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(badCall, async (bad) => {
        figures.inputsTried++;
        figures.operations++;
        const kind = bad.label.split(" ")[0]!;
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
        const before = fake.requests.length;
        let error: unknown;
        try {
          await bad.call({ ar, vm, filesystemId });
        } catch (caught) {
          error = caught;
        }
        const sent = fake.requests.length - before;
        if (sent !== 0) throw new Error(`${bad.label}: ${sent} request(s) sent`);
        if (!ArkerError.is(error))
          throw new Error(`${bad.label}: not an ArkerError: ${String(error)}`);
        expect([error.code, error.status, error.retryable, error.requestId]).toEqual([
          "bad_request",
          400,
          false,
          null,
        ]);
      }),
      { numRuns: SDK_RUNS, seed: SEED },
    );
    figures.notes["SDK inputs by call"] = [...kinds]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, count]) => `${kind} ${count}`)
      .join(", ");
  });
});

describe("fuzz: the SDK against a server that answers anything", () => {
  it(`${GARBLED_RUNS} calls to a garbled server: each resolves or rejects with a well-formed ArkerError`, async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    let answers: GarbledAnswer[] = [];
    let served = 0;
    agent
      .get(GARBLED_ORIGIN)
      .intercept({ path: () => true, method: () => true })
      .reply(() => {
        const answer = answers[served++ % answers.length]!;
        return {
          statusCode: answer.status,
          data: answer.body,
          responseOptions: { headers: answer.headers },
        };
      })
      .persist();
    const ar = new Arker({
      apiKey: "ark_live_garbled",
      baseUrl: GARBLED_ORIGIN,
      dispatcher: agent,
      retry: false,
    });
    const outcomes: Record<string, number> = {};
    try {
      await fc.assert(
        fc.asyncProperty(
          garbledCall,
          fc.array(garbledAnswer, { minLength: 1, maxLength: 4 }),
          async (call, queue) => {
            figures.inputsTried++;
            figures.operations++;
            answers = queue;
            served = 0;
            try {
              await call.call(ar);
              bump(outcomes, "resolved");
            } catch (error) {
              const defect = errorDefect(error);
              if (defect) throw new Error(`${call.label}: ${defect}`);
              const code = (error as { code: string }).code;
              // The server's own code is passed through as it came; group the random ones.
              bump(
                outcomes,
                code in ERROR_STATUS || code === "network_error" ? code : "a random server code",
              );
            }
          },
        ),
        { numRuns: GARBLED_RUNS, seed: SEED },
      );
    } finally {
      figures.notes["garbled server: outcomes"] = Object.entries(outcomes)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([code, count]) => `${code} ${count}`)
        .join(", ");
      await ar.close();
      await agent.close();
    }
    expect(outcomes.resolved ?? 0).toBeGreaterThan(0);
    expect(outcomes.internal ?? 0).toBeGreaterThan(0);
  });
});

/** What is wrong with an answer of the fake, or `null`. */
function answerDefect(raw: RawRequest, status: number, text: string): string | null {
  if (status >= 500) return `${status}: ${text.slice(0, 200)}`;
  if (status < 400 || raw.method === "HEAD") return null;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `${status} with a body that is not JSON: ${text.slice(0, 100)}`;
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return `${status} body is not an object`;
  const keys = Object.keys(body).sort().join(",");
  if (keys !== "code,message") return `${status} envelope is not flat {code, message}: ${keys}`;
  const { code, message } = body as { code: unknown; message: unknown };
  if (typeof code !== "string" || typeof message !== "string")
    return "code or message not a string";
  const expected = ERROR_STATUS[code as keyof typeof ERROR_STATUS];
  if (expected !== status) return `code ${code} answered with ${status} (expected ${expected})`;
  return null;
}

describe("fuzz: the fake's HTTP surface", () => {
  it(`${HTTP_RUNS} random requests: no crash, no 5xx, every 4xx a flat envelope`, async () => {
    const fake = await startFake({ listen: true, seed: SEED });
    // No shell runs: a random command must not be able to loop forever.
    fake.commands.on(
      () => true,
      () => ({ stdout: "stubbed\n" }),
    );
    const ar = arkerFor(fake);
    const vms = await Promise.all(
      ["a", "b", "c"].map((name) => ar.fork("ubuntu-full", { name: `target-${name}` })),
    );
    const vm = vms[0]!;
    const runs = await Promise.all(vms.map((each) => each.run("anything")));
    const session = await vm.createSession();
    const filesystem = await ar.createFilesystem({ name: "target" });
    const sync = await vm.createSync({ filesystemId: filesystem.filesystem_id, path: "/mnt/fs" });
    await vm.sync("/home/user/big.bin", new Uint8Array(4 * 1024 * 1024 + 1));
    const agent = new Agent({ connections: 4 });
    const url = fake.url!;
    const presigned = await request(`${url}/v1/vms/${vm.id}/sync`, {
      dispatcher: agent,
      method: "POST",
      headers: { authorization: `Bearer ${fake.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ op: "read", path: "/home/user/big.bin" }),
    });
    const { presigned_url: signed } = (await presigned.body.json()) as { presigned_url: string };
    const known: KnownIds = {
      vm: [...vms.map((each) => each.id), "vm_00000000000000000000000000"],
      run: runs.flatMap((run) => (run.type === "completed" ? [run.runId] : [])),
      session: [session.session_id],
      filesystem: [filesystem.filesystem_id],
      sync: [sync.sync_id],
      blob: [new URL(signed).pathname.split("/").pop()!],
    };
    const statuses = new Map<number, number>();
    const before = fake.requests.length;

    try {
      await fc.assert(
        fc.asyncProperty(rawRequest(known, fake.apiKey), async (raw) => {
          figures.inputsTried++;
          figures.operations++;
          const response = await request(`${url}${raw.path}`, {
            dispatcher: agent,
            method: raw.method,
            headers: raw.headers,
            body: raw.body,
          });
          const text = await response.body.text();
          statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
          const defect = answerDefect(raw, response.statusCode, text);
          if (defect) throw new Error(`${raw.method} ${raw.path}: ${defect}`);
          if (response.headers["x-request-id"] === undefined)
            throw new Error(`${raw.method} ${raw.path}: no x-request-id`);
        }),
        { numRuns: HTTP_RUNS, seed: SEED },
      );
      // Still serving after all of it.
      const health = await request(`${url}/v1/health`, { dispatcher: agent });
      expect(health.statusCode).toBe(200);
      await health.body.dump();
    } finally {
      figures.requests += fake.requests.length - before;
      figures.notes["HTTP statuses answered"] = [...statuses]
        .sort(([a], [b]) => a - b)
        .map(([status, count]) => `${status} ×${count}`)
        .join(", ");
      await agent.close();
      await ar.close();
      await fake.close();
    }
    // Every class of answer was reached, so the fuzz got past auth and routing.
    for (const status of [200, 400, 401, 404]) expect(statuses.get(status) ?? 0).toBeGreaterThan(0);
  });
});
