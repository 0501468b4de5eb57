import {
  pathParameterNames,
  ROUTE_NAMES,
  ROUTES,
  type RouteDefinition,
  routePath,
} from "@arker-ai/core/contract";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type DoorKind, expectError, forkUbuntu, openClient, type RawClient } from "./helpers.js";

// Org isolation route by route: another org gets 404 for what it may not see (a private
// VM and everything under it) and 403 for what it may see but not change (under a public
// VM), and lists show it only its own things and other orgs' public VMs.
describe.each<DoorKind>(["in-process", "http"])("org isolation through the %s door", (kind) => {
  let client: RawClient;
  beforeEach(async () => {
    client = await openClient(kind);
  });
  afterEach(async () => {
    await client.close();
  });

  it("answers every route under another org's VM: 404 when private, 403 when public", async () => {
    const other = client.fake.addOrg("org_other");
    const routes = ROUTE_NAMES.filter((name) => {
      const route: RouteDefinition = ROUTES[name];
      return pathParameterNames(route.path).includes("vm_id") && route.websocket !== true;
    });
    expect(routes.length).toBeGreaterThan(15);
    for (const isPublic of [false, true]) {
      const vm = await forkUbuntu(client, { public: isPublic });
      for (const name of routes) {
        const route: RouteDefinition = ROUTES[name];
        const params = Object.fromEntries(
          pathParameterNames(route.path).map((param) => [
            param,
            param === "vm_id" ? vm.vm_id : "x",
          ]),
        );
        const answer = await client.call(route.method, routePath(route, params), {
          key: other.apiKey,
          body: route.method === "GET" ? undefined : {},
        });
        const label = `${name} (${isPublic ? "public" : "private"})`;
        if (name === "getVm" && isPublic) {
          expect(answer.json.vm_id, label).toBe(vm.vm_id);
          continue;
        }
        expect({ status: answer.status, code: answer.json?.code }, label).toEqual(
          isPublic ? { status: 403, code: "forbidden" } : { status: 404, code: "not_found" },
        );
      }
    }
  });

  it("lists only the caller's own VMs and filesystems, and another org's public VMs", async () => {
    const other = client.fake.addOrg("org_other");
    const asOther = { key: other.apiKey };
    const hidden = await forkUbuntu(client, { name: "hidden" });
    const shared = await forkUbuntu(client, { name: "shared", public: true });
    await client.call("POST", "/v1/filesystems", { body: { name: "data" } });
    const ids = (answer: { json: { vms: Array<{ vm_id: string }> } }) =>
      answer.json.vms.map((vm) => vm.vm_id);
    expect(ids(await client.call("GET", "/v1/vms?source_org_id=org_test"))).toEqual([
      shared.vm_id,
      hidden.vm_id,
    ]);
    expect(ids(await client.call("GET", "/v1/vms"))).toEqual([shared.vm_id, hidden.vm_id]);
    expect(ids(await client.call("GET", "/v1/vms?source_org_id=org_test", asOther))).toEqual([
      shared.vm_id,
    ]);
    expect(ids(await client.call("GET", "/v1/vms", asOther))).toEqual([]);
    expect((await client.call("GET", "/v1/filesystems", asOther)).json.filesystems).toEqual([]);
    expect((await client.call("GET", "/v1/filesystems")).json.filesystems).toHaveLength(1);
    expectError(await client.call("GET", "/v1/vms/hidden", asOther), 404, "not_found");
    expect((await client.call("GET", "/v1/vms/hidden")).json.vm_id).toBe(hidden.vm_id);
  });
});
