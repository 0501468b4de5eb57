import { describe, expect, it } from "vitest";
import {
  ARKER_ORG_ID,
  DEFAULT_MAX_FILE_BYTES,
  envProblem,
  INLINE_FILE_LIMIT_BYTES,
  idempotencyKeyProblem,
  limitProblem,
  parseLogLevel,
  pathParameterNames,
  pathProblem,
  portProblem,
  ROUTE_NAMES,
  ROUTES,
  type RouteDefinition,
  routePath,
} from "../src/contract";

describe("the route table", () => {
  it("fills and encodes path parameters", () => {
    expect(routePath(ROUTES.getRun, { vm_id: "vm_1", run_id: "a/b c" })).toBe(
      "/v1/vms/vm_1/runs/a%2Fb%20c",
    );
    expect(routePath(ROUTES.listVms, {})).toBe("/v1/vms");
  });

  it("refuses a missing parameter", () => {
    expect(() => routePath(ROUTES.getVm, {} as { vm_id: string })).toThrow(/vm_id/);
  });

  it("has one entry per method and path, every path under /v1 with named parameters", () => {
    const seen = new Set<string>();
    for (const name of ROUTE_NAMES) {
      const route = ROUTES[name];
      const key = `${route.method} ${route.path}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
      expect(route.path).toMatch(/^\/v1\//);
      // Ids, and a tunnel's port (the real API's path, SEEN).
      for (const parameter of pathParameterNames(route.path))
        expect(parameter).toMatch(/_id$|^port$/);
    }
  });

  it("gives every POST, PATCH and DELETE an idempotency key except the file routes", () => {
    for (const name of ROUTE_NAMES) {
      const route = ROUTES[name];
      const mutating = route.method !== "GET";
      expect(route.idempotent, name).toBe(
        mutating && name !== "syncFiles" && name !== "syncFile" && name !== "syncStream",
      );
    }
  });

  it("marks only the one-file and archive routes as taking raw bytes", () => {
    const raw = ROUTE_NAMES.filter((name) => (ROUTES[name] as RouteDefinition).body === "bytes");
    expect(raw).toEqual(["syncFile", "syncStream"]);
  });
});

describe("the shared rules", () => {
  it.each([
    [1, undefined],
    [65_535, undefined],
    [0, "1 to 65535"],
    [65_536, "1 to 65535"],
    [80.5, "integer"],
    ["80", "got 80"],
  ])("port %j", (port, problem) => {
    const found = portProblem(port);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });

  it("names the port in its message, or the caller's name for it", () => {
    expect(portProblem(0)).toBe("port must be an integer from 1 to 65535; got 0");
    expect(portProblem(0, "local port")).toBe(
      "local port must be an integer from 1 to 65535; got 0",
    );
  });

  it.each([
    ["ok", undefined],
    ["", "1-64"],
    ["has space", "1-64"],
    ["x".repeat(65), "1-64"],
  ])("idempotency key %j", (key, problem) => {
    const found = idempotencyKeyProblem(key);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });

  it.each([
    [{ A: "1", _b2: "" }, undefined],
    [{ "1A": "x" }, "invalid variable name"],
    [{ "A-B": "x" }, "invalid variable name"],
    [{ "A=B": "x" }, "invalid variable name"],
    [{ A: 1 }, "env.A must be a string"],
    [[], "object"],
    [null, "object"],
  ])("env %j", (env, problem) => {
    const found = envProblem(env);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });

  it.each([
    ["/home/user", undefined],
    ["relative", "absolute"],
    ["", "non-empty"],
    ["/a/../b", '".."'],
    ["/a\0b", "NUL"],
    [`/${"x".repeat(4096)}`, "at most 4096"],
    [42, "non-empty string"],
  ])("path %j", (path, problem) => {
    const found = pathProblem(path, "cwd");
    if (problem === undefined) expect(found).toBeUndefined();
    else
      expect(found).toMatch(new RegExp(`^cwd .*${problem.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
  });

  it.each([
    [1, true],
    [1000, true],
    [0, false],
    [1001, false],
    [1.5, false],
    ["10", false],
  ])("limit %j", (limit, ok) => {
    expect(limitProblem(limit) === undefined).toBe(ok);
  });

  it.each([
    ["debug", "debug"],
    [" WARN ", "warn"],
    ["off", "off"],
    ["verbose", undefined],
    ["", undefined],
    [undefined, undefined],
  ])("log level %j", (value, level) => {
    expect(parseLogLevel(value)).toBe(level);
  });
});

describe("the contract's names and numbers", () => {
  it("lists a path's parameters in order, and none for a path without any", () => {
    expect(pathParameterNames("/v1/vms/{vm_id}/runs/{run_id}")).toEqual(["vm_id", "run_id"]);
    expect(pathParameterNames(ROUTES.listVms.path)).toEqual([]);
  });

  it("pins the limits and the golden org of docs/arker-api.md", () => {
    expect(INLINE_FILE_LIMIT_BYTES).toBe(4 * 1024 * 1024);
    expect(DEFAULT_MAX_FILE_BYTES).toBe(100 * 1024 * 1024);
    expect(ARKER_ORG_ID).toBe("ArkerHQ");
  });

  it("accepts a path of exactly 4096 UTF-8 bytes and refuses one byte more", () => {
    expect(pathProblem(`/${"é".repeat(2047)}x`)).toBeUndefined();
    expect(pathProblem(`/${"é".repeat(2048)}`)).toBe(
      "path is 4097 bytes; at most 4096 are allowed",
    );
  });

  it("states the page-size rule with the value it got", () => {
    expect(limitProblem(0)).toBe("limit must be an integer from 1 to 1000; got 0");
    expect(limitProblem("5")).toBe("limit must be an integer from 1 to 1000; got 5");
  });
});
