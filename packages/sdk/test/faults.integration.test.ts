import { INLINE_FILE_LIMIT_BYTES } from "@arker-ai/core";
import type { FaultRule } from "@arker-ai/testing";
import { afterEach, describe, expect, it } from "vitest";
import type { Vm } from "../src/index";
import { connect, DOORS, pattern, sameBytes, text } from "./fake-helpers";

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

const LOOPS = 8;
const sizeOf = (i: number) => (i % 3 === 2 ? INLINE_FILE_LIMIT_BYTES + 1 + i : 1 + i * 1000);

/** 503s, 429s and connections dropped after the server acted, on every mutating route. */
const RULES: FaultRule[] = [
  // A few certain hits first, so every kind of fault is exercised whatever the seed…
  { path: "/v1/fork", times: 1, effect: { type: "reset-after" } },
  {
    method: "POST",
    path: "/v1/vms/*/runs",
    times: 2,
    effect: { type: "respond", status: 429, code: "rate_limited" },
  },
  { method: "POST", path: "/v1/vms/*/runs", times: 1, effect: { type: "reset-after" } },
  // …then random ones, from the fake's seeded generator.
  { path: "/v1/fork", probability: 0.3, effect: { type: "reset-after" } },
  {
    path: "/v1/fork",
    probability: 0.2,
    effect: { type: "respond", status: 503, code: "unavailable" },
  },
  { method: "POST", path: "/v1/vms/*/runs", probability: 0.3, effect: { type: "reset-after" } },
  {
    method: "POST",
    path: "/v1/vms/*/runs",
    probability: 0.2,
    effect: { type: "respond", status: 429, code: "rate_limited", retryAfterSeconds: 0 },
  },
  { path: "/v1/vms/*/sync", probability: 0.3, effect: { type: "reset-after" } },
  {
    path: "/v1/vms/*/sync",
    probability: 0.15,
    effect: { type: "respond", status: 503, code: "temporarily_unavailable" },
  },
  { path: "/_fake/**", probability: 0.3, effect: { type: "reset-after" } },
];

describe.each(DOORS)("retries under faults through the %s door", (_door, listen) => {
  it("a loop of forks, runs and writes: one VM per fork, one execution per run, identical bytes", async () => {
    const connection = await connect(
      listen,
      { seed: 7, python: false },
      {
        retry: { attempts: 12, baseDelayMs: 1, maxDelayMs: 5 },
      },
    );
    open.push(connection);
    const { fake, ar } = connection;
    const base = await ar.fork("ubuntu-full", { name: "base" });
    for (const rule of RULES) fake.faults.add(rule);

    const forks: Vm[] = [];
    const written: Uint8Array[] = [];
    for (let i = 0; i < LOOPS; i++) {
      const vm = await ar.fork(base, { name: `loop-${i}` });
      forks.push(vm);
      for (const tag of ["a", "b"]) {
        const run = await vm.run(`echo run-${i}-${tag} >> /home/user/runs.log`);
        expect(run.type).toBe("completed");
      }
      const bytes = pattern(sizeOf(i), i + 11);
      written.push(bytes);
      await vm.sync(`/home/user/file-${i}.bin`, bytes);
      expect(sameBytes(await vm.sync(`/home/user/file-${i}.bin`), bytes)).toBe(true);
    }

    const faulted = fake.requests.filter((r) => r.fault !== null);
    const kinds = new Set(
      faulted.map(
        (r) =>
          `${r.method} ${r.path.replace(/vm_[0-9A-Z]+/, "*").replace(/\/_fake\/.*/, "/_fake")} ${r.fault}`,
      ),
    );
    fake.faults.clear();

    // The faults did fire, on forks, runs, sync calls and signed URLs.
    expect(faulted.length).toBeGreaterThan(10);
    expect([...kinds].some((k) => k.startsWith("POST /v1/fork reset-after"))).toBe(true);
    expect([...kinds].some((k) => k.startsWith("POST /v1/vms/*/runs reset-after"))).toBe(true);
    expect([...kinds].some((k) => k.startsWith("POST /v1/vms/*/sync reset-after"))).toBe(true);
    expect([...kinds].some((k) => k.includes("/_fake"))).toBe(true);
    expect(faulted.some((r) => r.status === 429)).toBe(true);
    expect(faulted.some((r) => r.status === 503)).toBe(true);

    // Exactly one VM per fork call.
    const ours = fake.vms.filter((v) => v.owner_org_id === fake.orgId);
    expect(ours.map((v) => v.name).sort()).toEqual(
      ["base", ...Array.from({ length: LOOPS }, (_, i) => `loop-${i}`)].sort(),
    );
    expect(new Set(forks.map((vm) => vm.id)).size).toBe(LOOPS);

    for (let i = 0; i < LOOPS; i++) {
      const vm = forks[i]!;
      // Exactly one execution per run call.
      const snapshot = ours.find((v) => v.vm_id === vm.id)!;
      expect(snapshot.runs).toHaveLength(2);
      expect(text(await vm.sync("/home/user/runs.log"))).toBe(`run-${i}-a\nrun-${i}-b\n`);
      // Byte-identical files.
      const bytes = written[i]!;
      expect(sameBytes(fake.files(vm.id).read(`/home/user/file-${i}.bin`)!, bytes)).toBe(true);
      expect(sameBytes(await vm.sync(`/home/user/file-${i}.bin`), bytes)).toBe(true);
    }
  });

  it("filesystems, mounts, sessions, resizes and deletes each act once despite lost answers", async () => {
    const connection = await connect(
      listen,
      { seed: 3, python: false },
      {
        retry: { attempts: 6, baseDelayMs: 1, maxDelayMs: 5 },
      },
    );
    open.push(connection);
    const { fake, ar } = connection;
    const vm = await ar.fork("ubuntu-full");
    const spare = await ar.fork("ubuntu-full");
    for (const [method, path] of [
      ["POST", "/v1/filesystems"],
      ["POST", "/v1/vms/*/syncs"],
      ["POST", "/v1/vms/*/sessions"],
      ["POST", "/v1/vms/*/resize"],
      ["DELETE", "/v1/vms/*/syncs/*"],
      ["DELETE", "/v1/vms/*"],
    ] as const) {
      fake.faults.add({ method, path, times: 1, effect: { type: "reset-after" } });
      fake.faults.add({
        method,
        path,
        times: 1,
        effect: { type: "respond", status: 503, code: "unavailable" },
      });
    }
    const filesystem = await ar.createFilesystem({ name: "once" });
    const mount = await vm.createSync({
      filesystemId: filesystem.filesystem_id,
      path: "/mnt/once",
    });
    const session = await vm.createSession({ cwd: "/tmp" });
    await vm.resize({ vcpu_count: 8 });
    await vm.deleteSync(mount.sync_id);
    await spare.delete();

    const replays = fake.requests
      .filter((r) => r.replayed)
      .map((r) => `${r.method} ${r.path.replace(/(vm|sync)_[0-9A-Z]+/g, "*")}`);
    expect(replays).toEqual([
      "POST /v1/filesystems",
      "POST /v1/vms/*/syncs",
      "POST /v1/vms/*/sessions",
      "POST /v1/vms/*/resize",
      "DELETE /v1/vms/*/syncs/*",
      "DELETE /v1/vms/*",
    ]);
    expect(fake.filesystems.map((f) => f.name)).toEqual(["once"]);
    const snapshot = fake.vms.find((v) => v.vm_id === vm.id)!;
    expect(snapshot.syncs).toEqual([]);
    expect(snapshot.sessions.map((s) => s.session_id)).toContain(session.session_id);
    expect(snapshot.sessions).toHaveLength(2);
    expect(snapshot.vcpu_count).toBe(8);
    expect(fake.vms.some((v) => v.vm_id === spare.id)).toBe(false);
  });
});
