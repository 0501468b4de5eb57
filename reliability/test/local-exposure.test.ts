import type { FakeArker } from "@arker-ai/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { arkerFor, startFake } from "./lib/connect";
import { bump, createFigures, saveFigures } from "./lib/figures";
import { codeOfJson, type RawHttpAnswer, rawHttp } from "./lib/raw-http";
import { findSecret } from "./lib/secrets";

const figures = createFigures(
  "local-exposure",
  "The listening fake as a web page or another local process would attack it: every `/_fake` control route without a key, with another org's key, with a `text/plain` body and with a foreign `Origin`; every kind of route under foreign `Host` names (DNS rebinding); signed-URL tokens searched in the request log (JS and over HTTP); keys and control tokens compared across starts with one seed. A hostile request that is served counts as a leak.",
);
afterAll(() => saveFigures(figures));

/** Every control route of the fake (`FAKE_ROUTES`, kind `control`), with a body that would act. */
function controlRoutes(vmId: string): Array<{ method: string; path: string; body?: unknown }> {
  return [
    { method: "POST", path: "/_fake/reset", body: {} },
    { method: "GET", path: "/_fake/vms" },
    { method: "GET", path: "/_fake/filesystems" },
    { method: "GET", path: "/_fake/requests" },
    { method: "POST", path: "/_fake/faults", body: { effect: { type: "reset-before" } } },
    { method: "DELETE", path: "/_fake/faults" },
    { method: "GET", path: "/_fake/clock" },
    { method: "POST", path: "/_fake/clock/advance", body: { ms: 86_400_000 } },
    { method: "POST", path: "/_fake/orgs", body: { name: "intruder" } },
    { method: "POST", path: "/_fake/revoke-key", body: { api_key: "x" } },
    { method: "POST", path: "/_fake/commands", body: { match: "id", stdout: "owned\n" } },
    { method: "DELETE", path: "/_fake/commands" },
    { method: "POST", path: `/_fake/fail-host/${vmId}`, body: {} },
  ];
}

const FOREIGN_HOSTS = [
  "attacker.example",
  "rebind.attacker.example",
  "127.0.0.1.nip.io",
  "localhost.attacker.example",
  "0x7f000001",
];

describe("local exposure", () => {
  let fake: FakeArker;
  let vmId: string;
  const answers: Record<string, number> = {};
  const served: string[] = [];
  const hostile = async (
    label: string,
    options: Parameters<typeof rawHttp>[1],
    refusedWith: number,
  ): Promise<RawHttpAnswer> => {
    figures.inputsTried++;
    const answer = await rawHttp(fake.url!, options);
    bump(answers, `${label}: ${answer.status} ${codeOfJson(answer.json) ?? ""}`.trim());
    if (answer.status !== refusedWith) {
      figures.leaks++;
      served.push(`${label} ${options.method ?? "GET"} ${options.path}: ${answer.status}`);
    }
    return answer;
  };

  beforeAll(async () => {
    fake = await startFake({ listen: true, seed: 7 });
    const ar = arkerFor(fake);
    const vm = await ar.fork("ubuntu-full", { name: "exposed" });
    await vm.run("export SECRET_TOKEN=s3cret", {});
    vmId = vm.id;
    await ar.close();
  });
  afterAll(async () => {
    await fake.close();
    figures.notes["answers (hostile request: status code)"] = Object.entries(answers)
      .map(([key, count]) => `${key} ×${count}`)
      .join(", ");
  });

  it("control routes: no key, another org's key, text/plain, foreign Origin — all refused", async () => {
    const other = fake.addOrg("neighbour");
    const vmsBefore = fake.vms.length;
    const clockBefore = fake.clock.now();
    for (const route of controlRoutes(vmId)) {
      const body = route.body === undefined ? undefined : Buffer.from(JSON.stringify(route.body));
      const json: Record<string, string> =
        body === undefined ? {} : { "content-type": "application/json" };
      const base = { method: route.method, path: route.path, chunks: body ? [body] : [] };
      await hostile("no key", { ...base, headers: json }, 401);
      await hostile(
        "another org's key",
        { ...base, headers: { ...json, authorization: `Bearer ${other.apiKey}` } },
        401,
      );
      if (body !== undefined) {
        await hostile(
          "text/plain",
          {
            ...base,
            headers: { "content-type": "text/plain", authorization: `Bearer ${fake.apiKey}` },
          },
          400,
        );
      }
      await hostile(
        "foreign Origin",
        {
          ...base,
          headers: {
            ...json,
            origin: "https://attacker.example",
            authorization: `Bearer ${fake.apiKey}`,
          },
        },
        403,
      );
    }
    figures.operations += controlRoutes(vmId).length;
    // Nothing acted: no reset, no org, no stub, no clock move, the VM alive.
    expect(fake.vms.length).toBe(vmsBefore);
    expect(fake.vms.some((vm) => vm.owner_org_id === "intruder")).toBe(false);
    expect(fake.clock.now()).toBe(clockBefore);
    const ar = arkerFor(fake);
    const fine = await ar.vm(vmId).run("echo fine");
    if (fine.type !== "completed") throw new Error("echo did not complete");
    expect(Buffer.from(fine.stdout).toString("utf8")).toBe("fine\n");
    await ar.close();
    expect(served).toEqual([]);
  });

  it("foreign Host names are refused on API, control and signed-URL routes", async () => {
    const port = new URL(fake.url!).port;
    const paths = ["/v1/health", "/v1/vms", "/_fake/vms", "/_fake/blobs/anything"];
    for (const name of FOREIGN_HOSTS) {
      for (const host of [name, `${name}:${port}`]) {
        for (const path of paths) {
          await hostile(
            "foreign Host",
            { path, headers: { host, authorization: `Bearer ${fake.apiKey}` } },
            403,
          );
        }
      }
    }
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      figures.operations++;
      const answer = await rawHttp(fake.url!, { path: "/v1/health", headers: { host } });
      expect(answer.status).toBe(200);
    }
    expect(served).toEqual([]);
  });

  it("signed-URL tokens never reach the request log", async () => {
    const ar = arkerFor(fake);
    const vm = ar.vm(vmId);
    const big = new Uint8Array(6 * 1024 * 1024).fill(7);
    for (let index = 0; index < 3; index++) {
      await vm.sync(`/home/user/big-${index}.bin`, big);
      await vm.sync(`/home/user/big-${index}.bin`);
      figures.operations += 2;
    }
    await ar.close();
    const tokens = fake.signedUrlTokens();
    expect(tokens.length).toBeGreaterThanOrEqual(6);
    const overHttp = await rawHttp(fake.url!, {
      path: "/_fake/requests",
      headers: { authorization: `Bearer ${fake.controlToken}` },
    });
    expect(overHttp.status).toBe(200);
    const places = [JSON.stringify(fake.requests), overHttp.text];
    const leaks = places.filter((text) => findSecret(text, tokens) !== null).length;
    figures.leaks += leaks;
    figures.notes["signed-URL tokens searched for"] = tokens.length;
    figures.notes["request-log entries searched (twice: JS and HTTP)"] = fake.requests.length;
    figures.requests += fake.requests.length;
    expect(leaks).toBe(0);
    expect(
      fake.requests.filter((entry) => entry.path === "/_fake/blobs/{token}").length,
    ).toBeGreaterThanOrEqual(6);
  });

  it("keys and control tokens differ on every start with one seed; ids do not", async () => {
    const starts = 5;
    const fakes = await Promise.all(
      Array.from({ length: starts }, () => startFake({ listen: true, seed: 7 })),
    );
    try {
      const keys = new Set(fakes.map((one) => one.apiKey));
      const tokens = new Set(fakes.map((one) => one.controlToken));
      const ids = new Set<string>();
      for (const one of fakes) {
        const ar = arkerFor(one);
        ids.add((await ar.fork("ubuntu-full")).id);
        await ar.close();
      }
      figures.operations += starts;
      figures.notes["starts with seed 7: distinct keys / control tokens / first VM ids"] =
        `${keys.size} / ${tokens.size} / ${ids.size} of ${starts}`;
      expect(keys.size).toBe(starts);
      expect(tokens.size).toBe(starts);
      expect(ids.size).toBe(1);
      expect(keys.has(fake.apiKey)).toBe(false);
    } finally {
      await Promise.all(fakes.map((one) => one.close()));
    }
  });
});
