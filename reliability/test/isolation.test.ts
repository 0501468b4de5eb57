import type { Arker, Vm } from "@arker-ai/sdk";
import type { FakeArker } from "@arker-ai/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { arkerFor, startFake } from "./lib/connect";
import { bump, createFigures, saveFigures } from "./lib/figures";
import { type Ids, type RouteCase, routes } from "./lib/isolation-routes";
import { patternBytes, sha256 } from "./lib/random";
import { codeOf, type RawAnswer, send } from "./lib/raw-client";

const figures = createFigures(
  "isolation",
  "Two orgs (plus a revoked key): every route tried with the other org's ids (private VM → 404, public VM → readable and forkable, else 403; filesystems → 404) and with bad, missing and revoked keys (401); afterwards nothing of the first org changed. Signed URLs: one object each, GET-only or PUT-only, expiring with fake time.",
);
afterAll(() => saveFigures(figures));

describe("isolation between orgs", () => {
  let fake: FakeArker;
  let arA: Arker;
  let arB: Arker;
  let beta: { orgId: string; apiKey: string };
  let revoked: { orgId: string; apiKey: string };
  let privateVm: Vm;
  let publicVm: Vm;
  let ownVm: Vm;
  let privateIds: Ids;
  let publicIds: Ids;
  let ownFilesystem: string;
  const statuses: Record<string, number> = {};

  const attempt = async (route: RouteCase, auth: { apiKey?: string; authorization?: string }) => {
    figures.inputsTried++;
    figures.operations++;
    const answer = await send(fake, route.method, route.path, {
      ...auth,
      body: route.body,
      ...(route.bytes === undefined ? {} : { bytes: route.bytes }),
    });
    bump(statuses, `${answer.status} ${codeOf(answer) ?? ""}`.trim());
    return answer;
  };

  async function seedOrg(
    ar: Arker,
    prefix: string,
    isPublic: boolean,
  ): Promise<{ vm: Vm; ids: Ids }> {
    const vm = await ar.fork("ubuntu-full", { name: `${prefix}-vm`, public: isPublic });
    await vm.sync("/home/user/secret.txt", `${prefix} secret\n`);
    const run = await vm.run("echo hello");
    if (run.type !== "completed") throw new Error("seed run did not complete");
    const session = await vm.createSession();
    const filesystem = await ar.createFilesystem({ name: `${prefix}-fs` });
    const sync = await vm.createSync({ filesystemId: filesystem.filesystem_id, path: "/mnt/data" });
    const tunnel = await send(fake, "POST", `/v1/vms/${vm.id}/tunnels`, {
      apiKey: fake.apiKey,
      body: { port: 8080 },
    });
    if (tunnel.status !== 200) throw new Error(`seed tunnel: ${tunnel.status}`);
    fake.tunnels.serve(vm.id, 8080, () => new Response(`${prefix} secret\n`));
    return {
      vm,
      ids: {
        vm: vm.id,
        vmName: `${prefix}-vm`,
        orgId: vm.info?.owner_org_id ?? "",
        run: run.runId,
        session: session.session_id,
        sync: sync.sync_id,
        filesystem: filesystem.filesystem_id,
        port: "8080",
      },
    };
  }

  /** What org A owns, as the fake sees it, to compare before and after the attacks. */
  const stateOfA = () =>
    JSON.stringify({
      vms: fake.vms
        .filter((vm) => vm.owner_org_id === fake.orgId)
        .map((vm) => ({
          id: vm.vm_id,
          vcpu: vm.vcpu_count,
          runs: vm.runs.length,
          sessions: vm.sessions.length,
          syncs: vm.syncs.map((sync) => sync.path),
          tunnels: vm.tunnels.map((tunnel) => tunnel.port),
          secret: new TextDecoder().decode(fake.files(vm.vm_id).read("/home/user/secret.txt")),
          pwned: fake.files(vm.vm_id).exists("/home/user/pwned"),
        })),
      filesystems: fake.filesystems
        .filter((fs) => fs.owner_org_id === fake.orgId)
        .map((fs) => fs.filesystem_id),
    });

  beforeAll(async () => {
    fake = await startFake({ seed: 31, clock: "manual" });
    beta = fake.addOrg("beta");
    revoked = fake.addOrg("gone");
    expect(fake.revokeKey(revoked.apiKey)).toBe(true);
    arA = arkerFor(fake);
    arB = arkerFor(fake, { apiKey: beta.apiKey });
    ({ vm: privateVm, ids: privateIds } = await seedOrg(arA, "alpha-private", false));
    ({ vm: publicVm, ids: publicIds } = await seedOrg(arA, "alpha-public", true));
    ownVm = await arB.fork("ubuntu-full", { name: "beta-vm" });
    ownFilesystem = (await arB.createFilesystem({ name: "beta-fs" })).filesystem_id;
  });
  afterAll(async () => {
    figures.notes["answers (status code)"] = Object.entries(statuses)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, count]) => `${key} ×${count}`)
      .join(", ");
    figures.requests = fake.requests.length;
    await arA.close();
    await arB.close();
    await fake.close();
  });

  it("the owner can do everything the other org is about to try (the control)", async () => {
    expect(privateVm.info?.owner_org_id).toBe(fake.orgId);
    const answer = await send(fake, "GET", `/v1/vms/${privateIds.vm}/runs/${privateIds.run}`, {
      apiKey: fake.apiKey,
    });
    expect(answer.status).toBe(200);
  });

  it("the matrix's archive is a valid one: it extracts for the VM's own org", async () => {
    const extract = routes(privateIds, ownFilesystem).find((r) => r.name === "extract archive");
    const path = extract?.path.replace(privateIds.vm, ownVm.id) ?? "";
    const answer = await send(fake, "POST", path, { apiKey: beta.apiKey, bytes: extract?.bytes });
    expect(answer.status).toBe(200);
    expect(fake.files(ownVm.id).exists("/home/user/pwned")).toBe(true);
  });

  it("another org's private VM and filesystem are 404 on every route, and nothing changes", async () => {
    const before = stateOfA();
    const leaks: string[] = [];
    for (const route of routes(privateIds, ownFilesystem)) {
      if (route.family === "list" || route.family === "create") continue;
      const answer = await attempt(route, { apiKey: beta.apiKey });
      if (answer.status !== 404 || codeOf(answer) !== "not_found")
        leaks.push(`${route.name}: ${answer.status} ${answer.text.slice(0, 80)}`);
      if (answer.text.includes("alpha-private secret")) leaks.push(`${route.name}: content leaked`);
    }
    // Mounting the other org's filesystem into one's own VM: as if it did not exist.
    const mount = await attempt(
      {
        name: "mount foreign filesystem",
        method: "POST",
        path: `/v1/vms/${ownVm.id}/syncs`,
        body: { filesystem_id: privateIds.filesystem, path: "/mnt/stolen" },
        family: "fs",
      },
      { apiKey: beta.apiKey },
    );
    if (mount.status !== 404) leaks.push(`mount foreign filesystem: ${mount.status}`);
    // A private tunnel's url answers only its owner org's key.
    const tunnelUrl = `/_tunnels/${privateIds.vm}/${privateIds.port}/`;
    for (const auth of [{ apiKey: beta.apiKey }, {}]) {
      const answer = await attempt(
        { name: "call private tunnel", method: "GET", path: tunnelUrl, family: "vm" },
        auth,
      );
      if (answer.status === 200 || answer.text.includes("secret"))
        leaks.push(`call private tunnel: ${answer.status}`);
    }
    // Lists show only one's own.
    const vms = await arB.listVms();
    const filesystems = await arB.listFilesystems();
    const listed = JSON.stringify([vms.items, filesystems.items]);
    for (const id of [privateIds.vm, privateIds.filesystem, publicIds.filesystem]) {
      if (listed.includes(id)) leaks.push(`listed ${id}`);
    }
    figures.leaks += leaks.length;
    expect(leaks).toEqual([]);
    expect(stateOfA()).toBe(before);
  });

  it("another org's public VM is readable and forkable, and 403 for everything else", async () => {
    const before = stateOfA();
    const wrong: string[] = [];
    for (const route of routes(publicIds, ownFilesystem)) {
      if (route.family === "list" || route.family === "create") continue;
      const answer = await attempt(route, { apiKey: beta.apiKey });
      const expected =
        route.family === "vm-read" || route.family === "fork"
          ? [200, null]
          : route.family === "fs"
            ? [404, "not_found"]
            : [403, "forbidden"];
      if (answer.status !== expected[0] || codeOf(answer) !== expected[1])
        wrong.push(`${route.name}: ${answer.status} ${answer.text.slice(0, 80)}`);
      if (route.family !== "fork" && answer.text.includes("alpha-public secret"))
        wrong.push(`${route.name}: content leaked`);
    }
    figures.leaks += wrong.filter((line) => line.includes("leaked")).length;
    expect(wrong).toEqual([]);
    // The forks made by the other org are its own; the public VM itself is untouched.
    expect(stateOfA()).toBe(before);
    const betaForks = fake.vms.filter(
      (vm) => vm.owner_org_id === beta.orgId && vm.root_source_vm_id !== null,
    );
    expect(betaForks.length).toBeGreaterThanOrEqual(2);
    expect(publicVm.id).toBe(publicIds.vm);
  });

  it("bad, missing and revoked keys get 401 on every route (health excepted)", async () => {
    const before = stateOfA();
    const wrong: string[] = [];
    const auths: Array<[string, { apiKey?: string; authorization?: string }]> = [
      ["missing", {}],
      ["revoked", { apiKey: revoked.apiKey }],
      ["unknown", { apiKey: "ark_live_0000000000000000000000" }],
      ["typo", { apiKey: `${fake.apiKey.slice(0, -1)}${fake.apiKey.endsWith("x") ? "y" : "x"}` }],
      ["empty bearer", { authorization: "Bearer " }],
      ["not bearer", { authorization: `Basic ${fake.apiKey}` }],
      ["bare key", { authorization: fake.apiKey }],
    ];
    for (const [label, auth] of auths) {
      for (const route of routes(privateIds, ownFilesystem)) {
        const answer = await attempt(route, auth);
        const expected = route.name === "health" ? [200, null] : [401, "unauthorized"];
        if (answer.status !== expected[0] || codeOf(answer) !== expected[1])
          wrong.push(`${label} key, ${route.name}: ${answer.status} ${answer.text.slice(0, 80)}`);
        if (answer.text.includes(fake.apiKey) || answer.text.includes(revoked.apiKey))
          wrong.push(`${label} key, ${route.name}: key echoed`);
      }
    }
    expect(wrong).toEqual([]);
    expect(stateOfA()).toBe(before);
  });

  it("a run, session or mount id works only under its own VM (same org or not)", async () => {
    const before = stateOfA();
    const wrong: string[] = [];
    const foreign = [
      // Org A's ids of its private VM, under its public VM's path: same org, other VM.
      { vm: publicIds.vm, ids: privateIds, key: fake.apiKey, who: "same org" },
      // Org A's ids under org B's own VM, with B's key.
      { vm: ownVm.id, ids: privateIds, key: beta.apiKey, who: "other org" },
    ];
    for (const { vm, ids, key, who } of foreign) {
      const base = `/v1/vms/${vm}`;
      const cases: RouteCase[] = [
        { name: "get run", method: "GET", path: `${base}/runs/${ids.run}`, family: "vm" },
        { name: "cancel run", method: "DELETE", path: `${base}/runs/${ids.run}`, family: "vm" },
        {
          name: "get session",
          method: "GET",
          path: `${base}/sessions/${ids.session}`,
          family: "vm",
        },
        {
          name: "delete session",
          method: "DELETE",
          path: `${base}/sessions/${ids.session}`,
          family: "vm",
        },
        {
          name: "run in session",
          method: "POST",
          path: `${base}/runs`,
          body: { command: "true", session_id: ids.session },
          family: "vm",
        },
        { name: "get mount", method: "GET", path: `${base}/syncs/${ids.sync}`, family: "vm" },
        { name: "unmount", method: "DELETE", path: `${base}/syncs/${ids.sync}`, family: "vm" },
      ];
      for (const route of cases) {
        const answer = await attempt(route, { apiKey: key });
        if (answer.status !== 404 || codeOf(answer) !== "not_found")
          wrong.push(`${who}, ${route.name}: ${answer.status} ${answer.text.slice(0, 80)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(stateOfA()).toBe(before);
  });

  it("signed URLs serve one object, one method, until they expire", async () => {
    const x = patternBytes(4 * 1024 * 1024 + 1, 1);
    const y = patternBytes(4 * 1024 * 1024 + 7, 2);
    await privateVm.sync("/home/user/x.bin", x);
    await privateVm.sync("/home/user/y.bin", y);
    const signRead = async (path: string) => {
      const answer = await send(fake, "POST", `/v1/vms/${privateVm.id}/sync`, {
        apiKey: fake.apiKey,
        body: { op: "read", path },
      });
      const json = answer.json as { presigned_url: string; expires_in: number; method: string };
      expect(json.method).toBe("GET");
      return json;
    };
    const urlX = await signRead("/home/user/x.bin");
    const urlY = await signRead("/home/user/y.bin");
    const get = async (url: string) => {
      figures.inputsTried++;
      figures.operations++;
      return send(fake, "GET", url);
    };
    const put = async (url: string, bytes: Uint8Array) => {
      figures.inputsTried++;
      figures.operations++;
      return send(fake, "PUT", url, { bytes });
    };
    const bytesOf = (answer: RawAnswer) => answer.bytes;

    // Each URL yields its own object, without any auth header.
    const gotX = await send(fake, "GET", urlX.presigned_url);
    expect(gotX.status).toBe(200);
    expect(urlX.presigned_url).not.toBe(urlY.presigned_url);
    expect(sha256(bytesOf(gotX))).toBe(sha256(x));
    expect(sha256(bytesOf(await get(urlY.presigned_url)))).toBe(sha256(y));

    // A tampered token reads nothing.
    const tampered = urlX.presigned_url.replace(/.$/, (c) => (c === "A" ? "B" : "A"));
    const bad = await get(tampered);
    expect([bad.status, codeOf(bad)]).toEqual([404, "not_found"]);
    expect(bad.text).not.toContain(new TextDecoder("latin1").decode(y.subarray(0, 32)));

    // A GET URL cannot PUT: the file keeps its bytes.
    const overwrite = await put(urlX.presigned_url, y);
    expect([overwrite.status, codeOf(overwrite)]).toEqual([403, "forbidden"]);
    expect(sha256(fake.files(privateVm.id).read("/home/user/x.bin")!)).toBe(sha256(x));

    // A PUT URL cannot GET.
    const presign = await send(fake, "POST", `/v1/vms/${privateVm.id}/sync`, {
      apiKey: fake.apiKey,
      body: {
        op: "write",
        writes: [{ path: "/home/user/z.bin", size: x.byteLength, presigned: true }],
      },
    });
    const putUrl = (
      presign.json as { results: Array<{ presigned_url: string; expires_in: number }> }
    ).results[0]!;
    const read = await get(putUrl.presigned_url);
    expect([read.status, codeOf(read)]).toEqual([403, "forbidden"]);

    // Past expires_in (fake time), both kinds are refused, and nothing is written.
    await fake.clock.advance((Math.max(urlY.expires_in, putUrl.expires_in) + 1) * 1000);
    const late = await get(urlY.presigned_url);
    expect([late.status, codeOf(late)]).toEqual([403, "forbidden"]);
    const latePut = await put(putUrl.presigned_url, x);
    expect([latePut.status, codeOf(latePut)]).toEqual([403, "forbidden"]);
    expect(fake.files(privateVm.id).exists("/home/user/z.bin")).toBe(false);
    // A fresh URL works again: the refusals were about expiry, not a broken door.
    const fresh = await signRead("/home/user/y.bin");
    expect(sha256(bytesOf(await get(fresh.presigned_url)))).toBe(sha256(y));
  });
});
