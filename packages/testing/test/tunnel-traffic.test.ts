import { afterEach, describe, expect, it } from "vitest";
import { HostPolicy } from "../src/http/host-policy.js";
import type { FakeRequest } from "../src/http/http-types.js";
import { RequestPipeline } from "../src/pipeline/request-pipeline.js";
import { serveTunnel } from "../src/pipeline/tunnel-traffic.js";
import { ApiError } from "../src/support/errors.js";
import { resolveOptions } from "../src/support/options.js";

// serveTunnel on its own: the request the handler sees (URL, method, headers, body), the
// answer passed back without hop headers, and the exact 404 and 502 of each refusal.

const opened: RequestPipeline[] = [];
afterEach(() => {
  for (const pipeline of opened.splice(0)) pipeline.close();
});

/** A fake's state with one VM of the default org; returns its state and VM id. */
async function withVm() {
  const pipeline = new RequestPipeline(
    resolveOptions({ python: false, clock: "manual" }),
    new HostPolicy(undefined, []),
  );
  opened.push(pipeline);
  const { state } = pipeline;
  const outcome = await pipeline.handle({
    method: "POST",
    target: "/v1/fork",
    headers: {
      authorization: `Bearer ${state.options.apiKey}`,
      "content-type": "application/json",
    },
    body: new TextEncoder().encode(
      JSON.stringify({ source_vm_name: "ubuntu", source_org_id: "ArkerHQ" }),
    ),
    origin: "",
  });
  if (outcome.type !== "response" || outcome.response.status !== 200) throw new Error("no fork");
  const vmId = JSON.parse(Buffer.from(outcome.response.body).toString()).vm_id as string;
  return { state, vmId };
}

function request(method: string, headers: Record<string, string> = {}, body?: string): FakeRequest {
  return {
    method,
    target: "",
    headers,
    body: body === undefined ? null : new TextEncoder().encode(body),
    origin: "",
  };
}

/** The API error serveTunnel throws. */
async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError)
      return { status: error.status, code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("serveTunnel", () => {
  it("hands the handler the request inside the VM, without hop headers, and passes its answer back", async () => {
    const { state, vmId } = await withVm();
    state.tunnels.open({ vmId, port: 8080, visibility: "public", protocol: "http" });
    const seen: Request[] = [];
    const bodies: string[] = [];
    state.tunnelServers.serve(vmId, 8080, async (inside) => {
      seen.push(inside);
      bodies.push(await inside.text());
      return new Response("served", {
        status: 201,
        headers: { "x-own": "kept", connection: "keep-alive", "keep-alive": "timeout=5" },
      });
    });
    const headers = {
      "x-probe": "p",
      authorization: "Bearer secret",
      connection: "keep-alive",
      "keep-alive": "timeout=1",
      host: "fake",
      "content-length": "4",
      "transfer-encoding": "chunked",
    };
    const response = await serveTunnel(
      state,
      request("post", headers, "data"),
      `/_tunnels/${vmId}/8080/a/b`,
      "x=1",
    );
    expect(response.status).toBe(201);
    expect(Buffer.from(response.body).toString()).toBe("served");
    expect(response.headers).toEqual({
      "content-type": "text/plain;charset=UTF-8",
      "x-own": "kept",
    });
    const [inside] = seen;
    expect(inside!.method).toBe("POST");
    expect(inside!.url).toBe("http://localhost:8080/a/b?x=1");
    const names: string[] = [];
    inside!.headers.forEach((_value, name) => {
      names.push(name);
    });
    expect(names).toEqual(["x-probe"]);
    expect(bodies).toEqual(["data"]);
    await serveTunnel(state, request("PUT", {}, "put"), `/_tunnels/${vmId}/8080/`, "");
    expect(seen[1]!.url).toBe("http://localhost:8080/");
    expect(bodies[1]).toBe("put");
  });

  it("sends no body with GET or HEAD, nor when there is none", async () => {
    const { state, vmId } = await withVm();
    state.tunnels.open({ vmId, port: 80, visibility: "public", protocol: "http" });
    const bodies: Array<string | null> = [];
    state.tunnelServers.serve(vmId, 80, (inside) => {
      bodies.push(inside.body === null ? null : "body");
      return new Response(null, { status: 204 });
    });
    for (const method of ["GET", "head", "POST"])
      await serveTunnel(
        state,
        request(method, {}, method === "POST" ? undefined : "x"),
        `/_tunnels/${vmId}/80/`,
        "",
      );
    expect(bodies).toEqual([null, null, null]);
  });

  it("refuses a path, a VM, a port or a private tunnel it cannot serve, naming them", async () => {
    const { state, vmId } = await withVm();
    state.tunnels.open({ vmId, port: 81, visibility: "private", protocol: "http" });
    state.tunnelServers.serve(vmId, 81, () => new Response("ok"));
    expect(await refusal(serveTunnel(state, request("GET"), "/_tunnels/x", ""))).toEqual({
      status: 404,
      code: "not_found",
      message: "no tunnel at /_tunnels/x",
    });
    for (const [path, name] of [
      ["/_tunnels/vm_none/81/", "vm_none port 81"],
      [`/_tunnels/${vmId}/82/`, `${vmId} port 82`],
    ]) {
      expect(await refusal(serveTunnel(state, request("GET"), path!, ""))).toEqual({
        status: 404,
        code: "not_found",
        message: `tunnel not found: ${name}`,
      });
    }
    const other = state.orgs.addOrg("org_other");
    expect(
      await refusal(
        serveTunnel(
          state,
          request("GET", { authorization: `Bearer ${other.apiKey}` }),
          `/_tunnels/${vmId}/81/`,
          "",
        ),
      ),
    ).toEqual({ status: 404, code: "not_found", message: `tunnel not found: ${vmId} port 81` });
    expect(
      (await refusal(serveTunnel(state, request("GET"), `/_tunnels/${vmId}/81/`, ""))).status,
    ).toBe(401);
    const owner = request("GET", { authorization: `Bearer ${state.options.apiKey}` });
    expect((await serveTunnel(state, owner, `/_tunnels/${vmId}/81/`, "")).status).toBe(200);
  });

  it("answers 502 with no handler, a failed handler or a failed VM, naming them", async () => {
    const { state, vmId } = await withVm();
    state.tunnels.open({ vmId, port: 90, visibility: "public", protocol: "http" });
    const path = `/_tunnels/${vmId}/90/`;
    expect(await refusal(serveTunnel(state, request("GET"), path, ""))).toEqual({
      status: 502,
      code: "unavailable",
      message: `nothing serves port 90 of ${vmId} (fake.tunnels.serve registers a handler)`,
    });
    state.tunnelServers.serve(vmId, 90, () => Promise.reject(new Error("boom")));
    expect((await refusal(serveTunnel(state, request("GET"), path, ""))).message).toBe(
      `the handler of port 90 of ${vmId} failed: boom`,
    );
    state.tunnelServers.serve(vmId, 90, () => Promise.reject("not an Error"));
    expect((await refusal(serveTunnel(state, request("GET"), path, ""))).message).toBe(
      `the handler of port 90 of ${vmId} failed: not an Error`,
    );
    state.tunnelServers.serve(vmId, 90, () => ({ status: 200 }) as unknown as Response);
    expect((await refusal(serveTunnel(state, request("GET"), path, ""))).message).toBe(
      `the handler of port 90 of ${vmId} failed: the handler did not return a Response`,
    );
    state.tunnelServers.serve(vmId, 90, () => new Response("ok"));
    state.failHost(vmId);
    expect(await refusal(serveTunnel(state, request("GET"), path, ""))).toEqual({
      status: 502,
      code: "unavailable",
      message: `vm ${vmId} is failed: its host failed`,
    });
  });
});
