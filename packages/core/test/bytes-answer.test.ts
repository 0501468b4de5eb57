import { afterEach, describe, expect, it } from "vitest";
import { cleanup, rejection, sendJson, setup } from "../../../test-support/local-server";
import { ROUTES } from "../src/contract/routes";
import { routeRequest } from "../src/route-call";

afterEach(cleanup);

const READ = { params: { vm_id: "vm_1" }, body: { op: "read" as const, path: "/f" } };

describe("a route that may answer raw bytes (syncFiles, bytesAnswer)", () => {
  it("is the only route of the table marked so", () => {
    const marked = Object.entries(ROUTES)
      .filter(([, route]) => (route as { bytesAnswer?: boolean }).bytesAnswer === true)
      .map(([name]) => name);
    expect(marked).toEqual(["syncFiles"]);
  });

  it("refuses acceptBytes on a route not marked bytesAnswer", () => {
    expect(() =>
      routeRequest("getVm", { params: { vm_id: "vm_1" }, acceptBytes: true }, undefined),
    ).toThrow(/getVm never answers raw bytes/);
    expect(routeRequest("syncFiles", { ...READ, acceptBytes: true }, undefined).acceptBytes).toBe(
      true,
    );
    expect(routeRequest("syncFiles", READ, undefined).acceptBytes).toBeUndefined();
  });

  it("asks for bytes first and hands an octet-stream answer over as a Uint8Array", async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const { server, client } = await setup((_req, res) => {
      res.writeHead(200, { "content-type": "Application/Octet-Stream; x=1" });
      res.end(bytes);
    });
    const { data } = await client.call("syncFiles", { ...READ, acceptBytes: true });
    expect(data).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(data as Uint8Array).equals(bytes)).toBe(true);
    expect(server.seen[0]!.headers.accept).toBe("application/octet-stream, application/json;q=0.9");
  });

  it("reads a chunked octet-stream answer (no Content-Length) too", async () => {
    const { client } = await setup((_req, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.write(Buffer.from([1, 2]));
      res.end(Buffer.from([3]));
    });
    const { data } = await client.call("syncFiles", { ...READ, acceptBytes: true });
    expect([...(data as Uint8Array)]).toEqual([1, 2, 3]);
  });

  it("takes a JSON answer when asked for bytes, and JSON errors stay errors", async () => {
    const { client } = await setup((_req, res, index) =>
      index === 0
        ? sendJson(res, 200, { ok: true, size: 1 })
        : sendJson(res, 404, { code: "not_found", message: "file not found: /f" }),
    );
    const { data } = await client.call("syncFiles", { ...READ, acceptBytes: true });
    expect(data).toEqual({ ok: true, size: 1 });
    const error = await rejection(client.call("syncFiles", { ...READ, acceptBytes: true }));
    expect(error.code).toBe("not_found");
  });

  it("an error status stays an error even when its body is octet-stream", async () => {
    const { client } = await setup((_req, res) => {
      res.writeHead(404, { "content-type": "application/octet-stream" });
      res.end("no such file");
    });
    const error = await rejection(client.call("syncFiles", { ...READ, acceptBytes: true }));
    expect([error.code, error.status]).toEqual(["internal", 404]);
    expect(error.message).toBe("internal: HTTP 404: no such file");
  });

  it("keeps maxResponseBytes for a raw answer", async () => {
    const { client } = await setup(
      (_req, res) => {
        res.writeHead(200, { "content-type": "application/octet-stream" });
        res.end(Buffer.alloc(2048));
      },
      { maxResponseBytes: 1024 },
    );
    const error = await rejection(client.call("syncFiles", { ...READ, acceptBytes: true }));
    expect(error.code).toBe("internal");
    expect(error.message).toMatch(/exceeds the cap of 1024 bytes/);
  });

  it("does not take octet-stream unasked: an answer that is not JSON is malformed", async () => {
    const { client } = await setup((_req, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.end(Buffer.from("xyz"));
    });
    const error = await rejection(client.call("syncFiles", READ));
    expect(error.message).toMatch(/not a JSON object/);
  });
});
