import { pathParameterNames, ROUTE_NAMES, ROUTES, routePath } from "@arker-ai/core/contract";
import { describe, expect, it } from "vitest";
import { FAKE_ROUTE_NAMES, FAKE_ROUTES } from "../src/http/fake-routes.js";
import { RECENT_PATHS, Router } from "../src/http/router.js";
import type { ApiHandlers } from "../src/routes/handler-types.js";
import { healthHandlers } from "../src/routes/health-routes.js";
import { apiHandlers, fakeHandlers, ROUTE_ENTRIES } from "../src/routes/route-entries.js";
import { openClient } from "./helpers.js";

// The fake's router is built from the contract's route table plus the fake's own one.
describe("the fake's route table", () => {
  it("has one entry per contract route and per fake route, in table order, and nothing else", () => {
    expect(ROUTE_ENTRIES.map((entry) => entry.name)).toEqual([...ROUTE_NAMES, ...FAKE_ROUTE_NAMES]);
  });

  it("has a handler for every route name and none for a name outside the tables", () => {
    expect(Object.keys(apiHandlers).sort()).toEqual([...ROUTE_NAMES].sort());
    expect(Object.keys(fakeHandlers).sort()).toEqual([...FAKE_ROUTE_NAMES].sort());
    for (const entry of ROUTE_ENTRIES) expect(typeof entry.handle).toBe("function");
  });

  it("takes method, path, auth and idempotency from the tables", () => {
    for (const entry of ROUTE_ENTRIES) {
      const route =
        entry.kind === "api"
          ? { ...ROUTES[entry.name as keyof typeof ROUTES], kind: "api" }
          : FAKE_ROUTES[entry.name as keyof typeof FAKE_ROUTES];
      expect({ ...entry, handle: undefined }, entry.name).toMatchObject({
        method: route.method,
        path: route.path,
        auth: route.auth,
        idempotent: route.idempotent,
        kind: route.kind,
      });
    }
    expect(ROUTE_ENTRIES.filter((entry) => entry.kind === "control").length).toBe(13);
    expect(ROUTE_ENTRIES.filter((entry) => entry.kind === "blob").map((e) => e.method)).toEqual([
      "GET",
      "PUT",
    ]);
  });

  it("leaves out no handler at compile time", () => {
    // @ts-expect-error every route needs its handler: a partial table does not compile
    const partial: ApiHandlers = { ...healthHandlers };
    expect(Object.keys(partial)).toEqual(["health"]);
  });
});

describe("the router", () => {
  const router = new Router(ROUTE_ENTRIES);

  it("matches every route's path to its entry, parameters decoded, trailing slash ignored", () => {
    for (const entry of ROUTE_ENTRIES) {
      const params = Object.fromEntries(
        pathParameterNames(entry.path).map((name) => [name, `${name} 1/é`]),
      );
      const path = routePath(entry, params);
      expect(router.match(entry.method, path), entry.name).toEqual({
        type: "found",
        entry,
        params,
      });
      expect(router.match(entry.method, `${path}/`)).toMatchObject({ type: "found", entry });
    }
  });

  it("hands a parameter without percent-encoding over as it is", () => {
    expect(router.match("GET", "/v1/vms/vm_1+a~b")).toMatchObject({
      type: "found",
      params: { vm_id: "vm_1+a~b" },
    });
  });

  it("tells a wrong method, an unknown path and a bad encoding apart", () => {
    expect(router.match("PUT", "/v1/vms/vm_1")).toEqual({
      type: "wrong-method",
      allowed: ["GET", "DELETE", "PATCH"],
    });
    expect(router.match("DELETE", "/_fake/blobs/T")).toEqual({
      type: "wrong-method",
      allowed: ["GET", "PUT"],
    });
    expect(router.match("GET", "/v1/vms/vm_1/nothing")).toEqual({ type: "none" });
    expect(router.match("GET", "/v1/vms//runs")).toEqual({ type: "none" });
    expect(router.match("GET", "/v1/vms/%E0%A4%A")).toMatchObject({
      type: "bad-path",
      entry: { name: "getVm" },
    });
  });

  it("answers a path found before with the same match, frozen, and never across methods", () => {
    const fresh = new Router(ROUTE_ENTRIES);
    const first = fresh.match("GET", "/v1/vms/vm_same");
    expect(fresh.match("GET", "/v1/vms/vm_same")).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(first.type === "found" && Object.isFrozen(first.params)).toBe(true);
    expect(fresh.match("GET", "/v1/vms/vm_other")).toMatchObject({ params: { vm_id: "vm_other" } });
    expect(fresh.match("PUT", "/v1/vms/vm_same")).toMatchObject({ type: "wrong-method" });
    expect(fresh.match("DELETE", "/v1/vms/vm_same")).toMatchObject({
      type: "found",
      entry: { name: "deleteVm" },
    });
  });

  it("still matches every path right past the number of paths it keeps", () => {
    const fresh = new Router(ROUTE_ENTRIES);
    for (let index = 0; index <= RECENT_PATHS + 2; index++) {
      const match = fresh.match("GET", `/v1/vms/vm_${index}/runs`);
      expect(match, String(index)).toMatchObject({
        type: "found",
        entry: { name: "listRuns" },
        params: { vm_id: `vm_${index}` },
      });
    }
    expect(fresh.match("GET", "/v1/vms/vm_0/runs")).toMatchObject({ params: { vm_id: "vm_0" } });
  });

  it("refuses two routes of one method with the same path shape", () => {
    expect(
      () =>
        new Router([
          { method: "GET", path: "/v1/vms/{vm_id}" },
          { method: "GET", path: "/v1/vms/{id}" },
        ]),
    ).toThrow("overlap");
    expect(
      () =>
        new Router([
          { method: "GET", path: "/v1/vms/{vm_id}" },
          { method: "DELETE", path: "/v1/vms/{id}" },
        ]),
    ).not.toThrow();
    for (const paths of [
      ["/ab/c", "/a/bc"],
      ["/a/{x}", "/a/"],
    ]) {
      expect(
        () => new Router(paths.map((path) => ({ method: "GET", path }))),
        paths.join(" "),
      ).not.toThrow();
    }
  });
});

describe("every route through the in-process door", () => {
  it("reaches its handler (no 'no route' answer) under /v1 and /api/v1", async () => {
    const client = await openClient("in-process");
    try {
      for (const entry of ROUTE_ENTRIES) {
        if (entry.name === "resetFake" || entry.name === "advanceClock") continue;
        const params = Object.fromEntries(
          pathParameterNames(entry.path).map((name) => [name, "x"]),
        );
        for (const prefix of ["", "/api"]) {
          const path = `${prefix}${routePath(entry, params)}`;
          const answer = await client.call(entry.method, path, {
            body: entry.method === "GET" ? undefined : {},
          });
          expect(answer.json?.message ?? "", `${entry.method} ${path}`).not.toMatch(/^no route/);
        }
      }
    } finally {
      await client.close();
    }
  });
});
