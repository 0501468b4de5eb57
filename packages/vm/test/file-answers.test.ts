import { afterEach, describe, expect, it } from "vitest";
import { cleanup, rejection, sendJson, setup } from "../../../test-support/local-server";
import { VmClient } from "../src/index";

// How file answers are checked (docs/arker-api.md, sync); each case was a surviving mutant
// (TESTING.md).
afterEach(cleanup);

type Answer = (body: Record<string, unknown>, index: number) => unknown;

async function vmAnswering(answer: Answer) {
  const ctx = await setup((req, res, index) =>
    sendJson(res, 200, answer((req.json ?? {}) as Record<string, unknown>, index) as never),
  );
  return { ...ctx, vm: new VmClient(ctx.client).vm("vm_1") };
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("readFile answers", () => {
  it("reads utf8, utf-8 and an absent encoding as text", async () => {
    for (const encoding of ["utf8", "utf-8", undefined]) {
      const { vm } = await vmAnswering(() => ({
        size: 2,
        content: "hi",
        encoding,
      }));
      expect(text(await vm.readFile("/f"))).toBe("hi");
    }
  });

  it("refuses an answer without size, without content or URL, or of the wrong length", async () => {
    for (const [answer, message] of [
      [{ content: "hi" }, "malformed response: unrecognized read response shape"],
      [{ size: 2 }, "malformed response: unrecognized read response shape"],
      [{ size: 5, content: "abc" }, "malformed response: read returned 3 bytes, announced 5"],
      [
        { size: 1, presigned_url: "file:///etc/passwd" },
        "malformed response: read result has a presigned_url that is not an http(s) URL",
      ],
    ] as const) {
      const { vm } = await vmAnswering(() => answer);
      const error = await rejection(vm.readFile("/f"));
      expect([error.code, error.message]).toEqual(["internal", `internal: ${message}`]);
    }
  });

  it("fetches an https signed URL (here a refused connection), not refusing it as malformed", async () => {
    const ctx = await setup(
      (_req, res) => sendJson(res, 200, { size: 1, presigned_url: "https://127.0.0.1:1/x" }),
      { retry: { attempts: 1 } },
    );
    const error = await rejection(new VmClient(ctx.client).vm("vm_1").readFile("/f"));
    expect(error.code).toBe("network_error");
  });

  it("refuses an idempotencyKey: a read changes nothing", async () => {
    const { vm, server } = await vmAnswering(() => ({ size: 0, content: "" }));
    const error = await rejection(vm.readFile("/f", { idempotencyKey: "k" } as never));
    expect([error.code, error.message]).toEqual([
      "bad_request",
      "bad_request: a file read takes no idempotencyKey",
    ]);
    expect(server.seen).toHaveLength(0);
  });
});

describe("writeFile answers", () => {
  it("refuses an answer without results, or with a malformed one", async () => {
    for (const [answer, message] of [
      [{}, /^internal: malformed response: write response has no results$/],
      [{ results: [] }, /^internal: malformed response: write response has no results$/],
      [{ results: [{ size: 1 }] }, /write response: path/],
    ] as const) {
      const { vm } = await vmAnswering(() => answer);
      expect((await rejection(vm.writeFile("/f", "x"))).message).toMatch(message);
    }
  });

  it("an entry error without code or message reads as internal 'write failed'", async () => {
    const { vm } = await vmAnswering(() => ({ results: [{ path: "/f", size: 1, error: {} }] }));
    const error = await rejection(vm.writeFile("/f", "x"));
    expect([error.code, error.message, error.status]).toEqual([
      "internal",
      "internal: write failed",
      500,
    ]);
    const { vm: other } = await vmAnswering(() => ({
      results: [{ path: "/f", size: 1, error: { code: "conflict", message: "busy" } }],
    }));
    const conflict = await rejection(other.writeFile("/f", "x"));
    expect([conflict.code, conflict.message]).toEqual(["conflict", "conflict: busy"]);
  });

  it("a result that is complete but not written (or written but not complete) is an error", async () => {
    for (const flags of [
      { complete: true, written: false },
      { complete: false, written: true },
    ]) {
      const { vm } = await vmAnswering(() => ({ results: [{ path: "/f", size: 1, ...flags }] }));
      expect((await rejection(vm.writeFile("/f", "x"))).message).toMatch(
        /write of \/f did not complete/,
      );
    }
    const { vm } = await vmAnswering(() => ({
      results: [{ path: "/f", size: 1, complete: true, written: true }],
    }));
    await vm.writeFile("/f", "x");
  });

  it("a large write refuses a presign answer without URL or upload id, or with a non-http URL", {
    timeout: 10_000,
  }, async () => {
    const big = new Uint8Array(4 * 1024 * 1024 + 1);
    for (const [result, message] of [
      [{ upload_id: "upl_1" }, "presign result has no presigned_url or upload_id"],
      [
        { presigned_url: "http://127.0.0.1:1/x" },
        "presign result has no presigned_url or upload_id",
      ],
      [
        { presigned_url: "ftp://example.com/x", upload_id: "upl_1" },
        "presign result has a presigned_url that is not an http(s) URL",
      ],
    ] as const) {
      const { vm, server } = await vmAnswering(() => ({
        results: [{ path: "/f", size: big.byteLength, ...result }],
      }));
      const error = await rejection(vm.writeFile("/f", big));
      expect([error.code, error.message]).toEqual([
        "internal",
        `internal: malformed response: ${message}`,
      ]);
      expect(server.seen).toHaveLength(1);
    }
  });
  it("a failed upload to the signed URL carries the presign's upload id, to retry with", {
    timeout: 10_000,
  }, async () => {
    const big = new Uint8Array(4 * 1024 * 1024 + 1);
    const ctx = await setup(
      (req, res) => {
        if (req.method === "PUT") return sendJson(res, 403, { code: "forbidden", message: "no" });
        sendJson(res, 200, {
          results: [
            {
              path: "/f",
              size: big.byteLength,
              upload_id: "upl_presigned",
              presigned_url: `http://${req.headers.host}/put`,
            },
          ],
        });
      },
      { retry: { attempts: 1 } },
    );
    const error = await rejection(new VmClient(ctx.client).vm("vm_1").writeFile("/f", big));
    expect(error.code).toBe("forbidden");
    expect(error.idempotencyKey).toBe("upl_presigned");
  });
  it("names the results field when it is not a list", async () => {
    const { vm } = await vmAnswering(() => ({ results: "done" }));
    expect((await rejection(vm.writeFile("/f", "x"))).message).toMatch(
      /write response: results must be/,
    );
  });

  it("writeFiles puts the failed entry's path before the service's message", async () => {
    const { vm } = await vmAnswering(() => ({
      results: [{ path: "/a", size: 1, error: { code: "forbidden", message: "read-only" } }],
    }));
    const error = await rejection(vm.writeFiles([{ path: "/a", data: "x" }]));
    expect([error.code, error.message]).toEqual(["forbidden", "forbidden: /a: read-only"]);
  });
});
