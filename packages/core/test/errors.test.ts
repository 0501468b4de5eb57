import { afterEach, describe, expect, it } from "vitest";
import { sendJson as json, rejection, startServer } from "../../../test-support/local-server";
import { ArkerClient, ArkerError } from "../src/index";
import { abortedError, isRecord, parseErrorBody, withIdempotencyKey } from "../src/internal";

// The error helpers every package raises through (found thin by mutation testing).
describe("parseErrorBody", () => {
  it("an empty body becomes internal with the bare status", () => {
    expect(parseErrorBody(502, "")).toEqual({ code: "internal", message: "HTTP 502" });
  });

  it.each([
    ["flat", { code: "not_found" }],
    ["nested", { error: { code: "not_found" } }],
    ["flat with a non-string message", { code: "not_found", message: 5 }],
    ["nested with a non-string message", { error: { code: "not_found", message: null } }],
  ])("an envelope (%s) without a message keeps its code and an empty message", (_l, body) => {
    expect(parseErrorBody(404, JSON.stringify(body))).toEqual({ code: "not_found", message: "" });
  });
});

describe("withIdempotencyKey", () => {
  it("marks an ArkerError with the key, as an ordinary enumerable field", () => {
    const marked = withIdempotencyKey(new ArkerError("unavailable", "x", 503), "key_1");
    const built = new ArkerError("unavailable", "x", 503, { idempotencyKey: "key_1" });
    expect((marked as ArkerError).idempotencyKey).toBe("key_1");
    expect(Object.keys(marked as object).sort()).toEqual(Object.keys(built).sort());
  });

  it("keeps the key an error already carries", () => {
    const error = new ArkerError("unavailable", "x", 503, { idempotencyKey: "first" });
    expect((withIdempotencyKey(error, "second") as ArkerError).idempotencyKey).toBe("first");
  });

  it("leaves anything that is not an ArkerError untouched", () => {
    const error = new TypeError("boom");
    expect(withIdempotencyKey(error, "key_1")).toBe(error);
    expect("idempotencyKey" in error).toBe(false);
  });
});

describe("ArkerError and abortedError", () => {
  it("an error built without a cause has no cause property", () => {
    expect("cause" in new ArkerError("not_found", "gone", 404)).toBe(false);
  });

  it("abortedError says the call was aborted and keeps the signal's reason as cause", () => {
    const reason = new Error("user gave up");
    const error = abortedError(reason);
    expect([error.code, error.status, error.message]).toEqual([
      "aborted",
      0,
      "aborted: the call was aborted",
    ]);
    expect(error.cause).toBe(reason);
  });
});

describe("isRecord", () => {
  it("is true only for a plain object", () => {
    expect(isRecord({})).toBe(true);
    expect(isRecord([])).toBe(false);
    expect(isRecord(null)).toBe(false);
    expect(isRecord("x")).toBe(false);
  });
});

describe("a 2xx answer that is JSON but not an object", () => {
  const servers: Array<{ close(): Promise<void> }> = [];
  const clients: ArkerClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it.each([[[1, 2]], [null], ["text"]])("%j is a malformed response", async (body) => {
    const server = await startServer((_req, res) => json(res, 200, JSON.stringify(body)));
    servers.push(server);
    const client = new ArkerClient({ apiKey: "ark_live_x_0123456789", baseUrl: server.url });
    clients.push(client);
    const error = await rejection(client.request({ method: "GET", path: "/v1/vms" }));
    expect([error.code, error.status]).toEqual(["internal", 200]);
    expect(error.message).toContain("malformed response: not a JSON object");
  });
});
