import { INLINE_FILE_LIMIT_BYTES } from "@arker-ai/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Arker, type Vm } from "../src/index";
import { connect, DOORS, pattern, rejection, sameBytes, text } from "./fake-helpers";

type Connection = Awaited<ReturnType<typeof connect>>;

describe.each(DOORS)("README through the %s door", (_door, listen) => {
  let connection: Connection;
  let ar: Arker;

  beforeEach(async () => {
    connection = await connect(listen, { clock: "manual" });
    ar = connection.ar;
  });
  afterEach(async () => {
    await connection.close();
  });

  it("Quickstart: fork a golden, run python, write and read a file, delete", async () => {
    const { fake } = connection;
    const vm = await ar.fork("ubuntu-full"); // public golden — org inferred
    expect(vm.id).toMatch(/^vm_/);
    expect(vm.info?.root_source_vm_name).toBe("ubuntu-full");

    const run = await ar.vm(vm.id).run("python3 -c 'print(2 + 2)'");
    expect(run.type).toBe("completed");
    if (run.type !== "completed") throw new Error("unreachable");
    expect(text(run.stdout)).toBe("4\n");
    expect(run.exitCode).toBe(0);

    await vm.sync("/tmp/data.txt", "hello\n"); // write
    const data = await vm.sync("/tmp/data.txt"); // read -> Uint8Array
    expect(data).toBeInstanceOf(Uint8Array);
    expect(text(data)).toBe("hello\n");
    expect(text(fake.files(vm.id).read("/tmp/data.txt")!)).toBe("hello\n");

    await vm.delete();
    const gone = await rejection(ar.getVm(vm.id));
    expect(gone.code).toBe("not_found");
    expect(fake.vms.some((v) => v.vm_id === vm.id)).toBe(false);
  });

  it("Quickstart: await using deletes the VM; exec returns text and rejects a failure", async () => {
    const { fake } = connection;
    let vmId = "";
    {
      await using vm = await ar.fork("ubuntu-full"); // public golden — org inferred
      vmId = vm.id;
      const { stdout } = await vm.exec("python3 -c 'print(2 + 2)'");
      expect(stdout).toBe("4\n");
      const failed = await rejection(vm.exec("exit 3"));
      expect(failed.code).toBe("command_failed");
      expect((await vm.exec("exit 3", { check: false })).exitCode).toBe(3);
      await vm.sync("/tmp/data.txt", "hello\n"); // write
      expect(text(await vm.sync("/tmp/data.txt"))).toBe("hello\n");
      expect(fake.vms.some((v) => v.vm_id === vmId)).toBe(true);
    }
    expect(fake.vms.some((v) => v.vm_id === vmId)).toBe(false);
  });

  it("Core API: apiKey and baseUrl from ARKER_API_KEY / ARKER_BASE_URL, the README constructor as is", async () => {
    const { fake } = connection;
    const saved = { key: process.env.ARKER_API_KEY, base: process.env.ARKER_BASE_URL };
    process.env.ARKER_API_KEY = fake.apiKey;
    // The in-process door has no URL a process could reach; the env form needs a socket.
    process.env.ARKER_BASE_URL = fake.url ?? "http://127.0.0.1:9";
    try {
      const fromEnv = listen
        ? new Arker({ region: "us-west-2" })
        : new Arker({
            region: "us-west-2",
            dispatcher: fake.clientOptions.dispatcher,
            baseUrl: fake.baseUrl,
          });
      try {
        const vm = await fromEnv.fork("ubuntu-full");
        expect(fake.vms.some((v) => v.vm_id === vm.id && v.owner_org_id === fake.orgId)).toBe(true);
      } finally {
        await fromEnv.close();
      }
    } finally {
      restoreEnv("ARKER_API_KEY", saved.key);
      restoreEnv("ARKER_BASE_URL", saved.base);
    }
  });

  it("Core API: retry { attempts } and retry: false", async () => {
    const { fake } = connection;
    fake.faults.add({
      path: "/v1/vms/*",
      method: "GET",
      effect: { type: "respond", status: 503, code: "unavailable" },
    });
    const count = () =>
      fake.requests.filter((r) => r.method === "GET" && r.path.startsWith("/v1/vms/")).length;
    const twice = new Arker({
      ...fake.clientOptions,
      retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
    });
    const once = new Arker({ ...fake.clientOptions, retry: false });
    try {
      expect((await rejection(twice.getVm("vm_x"))).code).toBe("unavailable");
      expect(count()).toBe(2);
      expect((await rejection(once.getVm("vm_x"))).code).toBe("unavailable");
      expect(count()).toBe(3);
    } finally {
      await twice.close();
      await once.close();
    }
  });

  it("Core API: the three fork forms, listVms, bare handles, resize, delete", async () => {
    const { fake } = connection;
    const vm = await ar.fork("ubuntu-full");
    await vm.sync("/home/user/parent.txt", "from the parent");

    const child = await ar.fork(vm, { name: "child" });
    expect(child.info?.name).toBe("child");
    expect(child.id).not.toBe(vm.id);
    expect(text(await child.sync("/home/user/parent.txt"))).toBe("from the parent");
    // Copy-on-write: the child's writes stay in the child.
    await child.sync("/home/user/parent.txt", "changed in the child");
    expect(text(await vm.sync("/home/user/parent.txt"))).toBe("from the parent");

    const fromObject = await ar.fork({
      sourceVmName: "ubuntu",
      sourceOrgId: "ArkerHQ",
      name: "object-form",
      durable: true,
    });
    expect(fromObject.info).toMatchObject({
      name: "object-form",
      durable: true,
      root_source_vm_name: "ubuntu",
    });

    const byId = await ar.fork(vm.id, { name: "by-id" });
    expect(text(await byId.sync("/home/user/parent.txt"))).toBe("from the parent");
    const named = await ar.fork({ sourceVmId: child.id });
    expect(text(await named.sync("/home/user/parent.txt"))).toBe("changed in the child");
    // A plain non-golden string is a VM name in the caller's org.
    const byName = await ar.fork("child", { name: "by-name" });
    expect(text(await byName.sync("/home/user/parent.txt"))).toBe("changed in the child");
    await byName.delete();

    const page = await ar.listVms({ state: "idle" });
    const listed: string[] = [];
    for await (const info of page) listed.push(info.vm_id);
    for (const each of [vm, child, fromObject, byId, named]) expect(listed).toContain(each.id);
    const ours = fake.vms.filter((v) => v.owner_org_id === fake.orgId).map((v) => v.vm_id);
    expect(new Set(listed.filter((id) => ours.includes(id)))).toEqual(new Set(ours));

    fake.commands.on("busy", () => ({ durationMs: 60_000 }));
    await named.run("busy", { background: true });
    const running = await ar.listVms({ state: "running" });
    expect(running.items.map((v) => v.vm_id)).toEqual([named.id]);
    const goldens = await ar.listVms({ sourceOrgId: "ArkerHQ" });
    expect(goldens.items.every((v) => v.owner_org_id === "ArkerHQ")).toBe(true);
    expect(goldens.items.length).toBeGreaterThan(0);

    const paged: string[] = [];
    for await (const info of await ar.listVms({ limit: 2 })) paged.push(info.vm_id);
    expect(paged.length).toBe(listed.length);

    const handle = ar.vm(vm.id);
    expect(handle.info).toBeNull();
    const echo = await handle.run("echo hi from a bare handle");
    expect(echo.type === "completed" && text(echo.stdout)).toBe("hi from a bare handle\n");

    await ar.vm(vm.id).resize({ vcpuCount: 4, memoryMib: 8192 });
    const resized = await ar.getVm(vm.id);
    expect(resized.vcpu_count).toBe(4);
    expect(resized.memory_mib).toBe(8192);
    await ar.vm(vm.id).resize({ disk_mib: resized.disk_mib + 1024 });
    expect((await handle.get()).disk_mib).toBe(resized.disk_mib + 1024);
    expect(handle.info).toMatchObject({ disk_mib: resized.disk_mib + 1024 });

    await ar.vm(child.id).delete();
    expect((await rejection(ar.getVm(child.id))).code).toBe("not_found");
    expect(fake.vms.some((v) => v.vm_id === child.id)).toBe(false);
  });

  it.each([
    ["0 B", 0],
    ["1 B", 1],
    ["4 MiB - 1", INLINE_FILE_LIMIT_BYTES - 1],
    ["4 MiB", INLINE_FILE_LIMIT_BYTES],
    ["4 MiB + 1", INLINE_FILE_LIMIT_BYTES + 1],
    ["60 MiB", 60 * 1024 * 1024],
  ])("Files: %s written reads back identical", async (_label, size) => {
    const { fake } = connection;
    const vm = await ar.fork("ubuntu-full");
    const bytes = pattern(size, size + 1);
    const before = fake.requests.length;
    await vm.sync("/home/user/blob.bin", bytes);
    const back = await vm.sync("/home/user/blob.bin");
    expect(back.byteLength).toBe(size);
    expect(sameBytes(back, bytes)).toBe(true);
    expect(sameBytes(fake.files(vm.id).read("/home/user/blob.bin")!, bytes)).toBe(true);
    const signed = fake.requests.slice(before).filter((r) => !r.path.startsWith("/v1/"));
    // Above 4 MiB the bytes go through a signed PUT and come back through a signed GET.
    expect(signed.map((r) => r.method)).toEqual(
      size > INLINE_FILE_LIMIT_BYTES ? ["PUT", "GET"] : [],
    );
  });

  it("Files: parallel writes and reads of mixed sizes across VMs stay byte-identical", async () => {
    const vms = await Promise.all([0, 1, 2].map(() => ar.fork("ubuntu-full")));
    const sizes = [0, 17, INLINE_FILE_LIMIT_BYTES, INLINE_FILE_LIMIT_BYTES + 1, 6 * 1024 * 1024];
    const jobs = vms.flatMap((vm, v) =>
      sizes.map(async (size, s) => {
        const bytes = pattern(size, 100 * v + s + 1);
        await vm.sync(`/home/user/p-${s}.bin`, bytes);
        return { vm, path: `/home/user/p-${s}.bin`, bytes };
      }),
    );
    const written = await Promise.all(jobs);
    const reads = await Promise.all(written.map(({ vm, path }) => vm.sync(path)));
    written.forEach(({ bytes }, index) => {
      expect(sameBytes(reads[index]!, bytes)).toBe(true);
    });
  });

  it("Files: a run sees what sync wrote and sync reads what a run wrote", async () => {
    const vm = await ar.fork("ubuntu-full");
    await vm.sync("/home/user/in.txt", "line one\n");
    const run = await vm.run("cat /home/user/in.txt && echo made by a run > /home/user/out.txt");
    expect(run.type === "completed" && text(run.stdout)).toBe("line one\n");
    expect(text(await vm.sync("/home/user/out.txt"))).toBe("made by a run\n");
  });

  it("Filesystems and syncs: one VM's write shows in another VM that mounts the same filesystem", async () => {
    const { fake } = connection;
    const filesystem = await ar.createFilesystem({ name: "shared" });
    expect(filesystem.filesystem_id).toMatch(/^fs_/);
    const listed = await ar.listFilesystems();
    expect(listed.items.map((f) => f.filesystem_id)).toContain(filesystem.filesystem_id);
    expect((await ar.getFilesystem(filesystem.filesystem_id)).name).toBe("shared");

    const a = await ar.fork("ubuntu-full");
    const b = await ar.fork("ubuntu-full");
    const syncA = await a.createSync({
      filesystemId: filesystem.filesystem_id,
      path: "/mnt/shared",
    });
    const syncB = await b.createSync({ filesystemId: filesystem.filesystem_id, path: "/data" });
    expect(syncA).toMatchObject({
      vm_id: a.id,
      filesystem_id: filesystem.filesystem_id,
      path: "/mnt/shared",
    });

    await a.sync("/mnt/shared/note.txt", "written by a\n");
    expect(text(await b.sync("/data/note.txt"))).toBe("written by a\n");
    const viaRun = await b.run("cat /data/note.txt");
    expect(viaRun.type === "completed" && text(viaRun.stdout)).toBe("written by a\n");
    await b.run("echo written by b > /data/back.txt");
    expect(text(await a.sync("/mnt/shared/back.txt"))).toBe("written by b\n");

    expect((await a.listSyncs()).items.map((s) => s.sync_id)).toEqual([syncA.sync_id]);
    expect((await b.getSync(syncB.sync_id)).path).toBe("/data");

    const stillMounted = await rejection(ar.deleteFilesystem(filesystem.filesystem_id));
    expect(stillMounted.code).toBe("conflict");
    expect(stillMounted.status).toBe(409);

    await a.deleteSync(syncA.sync_id);
    await b.deleteSync(syncB.sync_id);
    expect((await a.listSyncs()).items).toEqual([]);
    await ar.deleteFilesystem(filesystem.filesystem_id);
    expect(fake.filesystems.some((f) => f.filesystem_id === filesystem.filesystem_id)).toBe(false);
    expect((await rejection(ar.getFilesystem(filesystem.filesystem_id))).code).toBe("not_found");
  });

  it("Durability: a durable background run survives failHost with retry_count 1", async () => {
    const { fake } = connection;
    let executions = 0;
    fake.commands.on("python3 train.py", () => {
      executions++;
      return { stdout: "trained\n", durationMs: 60_000 };
    });
    const vm = await ar.fork("ubuntu-full", { durable: true });
    expect(vm.info?.durable).toBe(true);
    const key = crypto.randomUUID();
    const started = await vm.run("python3 train.py", { background: true, idempotencyKey: key });
    expect(started.type).toBe("background");
    const again = await vm.run("python3 train.py", { background: true, idempotencyKey: key });
    expect(again.runId).toBe(started.runId);

    fake.failHost(vm.id);
    await fake.clock.advance(120_000);
    const done = await vm.waitForRun(started.runId, { pollIntervalMs: 10 });
    expect(done.state).toBe("completed");
    expect(done.retryCount).toBe(1);
    expect(text(done.stdout)).toBe("trained\n");
    expect((await vm.get()).vm_id).toBe(vm.id);
    expect(fake.vms.find((v) => v.vm_id === vm.id)?.runs).toHaveLength(1);
    expect(executions).toBeGreaterThanOrEqual(1);
  });

  it("Durability: on a non-durable VM a host failure fails the run and the VM", async () => {
    const { fake } = connection;
    fake.commands.on("python3 train.py", () => ({ stdout: "trained\n", durationMs: 60_000 }));
    const vm = await ar.fork("ubuntu-full");
    const started = await vm.run("python3 train.py", { background: true });
    const running = await vm.getRun(started.runId);
    expect(running.state).toBe("running");
    fake.failHost(vm.id);
    const ended = await vm.waitForRun(started.runId, { pollIntervalMs: 10 });
    expect(ended).toMatchObject({ state: "failed", failReason: "host_failed", exitCode: 137 });
    expect((await vm.get()).state).toBe("failed");
    const refused = await rejection(vm.run("true"));
    expect(refused.code).toBe("conflict");
    expect(refused.message).toContain("is failed");
    await vm.delete();
    expect((await rejection(vm.get())).code).toBe("not_found");
  });

  it("Runs: waitForRun follows a background run that the clock finishes", async () => {
    const { fake } = connection;
    fake.commands.on(/^sleep-then-say /, (context) => ({
      stdout: `${context.argv[1]}\n`,
      durationMs: 10_000,
    }));
    const vm: Vm = await ar.fork("ubuntu-full");
    const started = await vm.run("sleep-then-say done", { background: true });
    expect(started).toMatchObject({ type: "background", state: "running" });
    const runs = await vm.listRuns({ state: "running" });
    expect(runs.items.map((r) => r.run_id)).toEqual([started.runId]);
    const waiting = vm.waitForRun(started.runId, { pollIntervalMs: 10 });
    await fake.clock.advance(10_000);
    const done = await waiting;
    expect(done).toMatchObject({ state: "completed", exitCode: 0, retryCount: 0 });
    expect(text(done.stdout)).toBe("done\n");
  });

  it("Runs: a foreground run past the synchronous window comes back as background", async () => {
    const { fake } = connection;
    fake.commands.on("long-job", () => ({ stdout: "late\n", durationMs: 45_000 }));
    const vm = await ar.fork("ubuntu-full");
    const run = await vm.run("long-job");
    expect(run.type).toBe("background");
    await fake.clock.advance(60_000);
    const done = await vm.waitForRun(run.runId, { pollIntervalMs: 10 });
    expect(text(done.stdout)).toBe("late\n");
  });

  it("Runs: timeout, cancel, sessions, env, cwd and binary output", async () => {
    const { fake } = connection;
    fake.commands.on("forever", () => ({ durationMs: 1_000_000 }));
    fake.commands.on("binary", () => ({ stdout: Uint8Array.from([0xff, 0x00, 0xfe]) }));
    const vm = await ar.fork("ubuntu-full");

    const timedOut = await vm.run("forever", { timeout: 2 });
    expect(timedOut).toMatchObject({
      type: "completed",
      state: "failed",
      exitCode: 124,
      failReason: "timeout",
    });

    const bin = await vm.run("binary");
    expect(bin.type === "completed" && [...bin.stdout]).toEqual([0xff, 0x00, 0xfe]);

    const bg = await vm.run("forever", { background: true });
    await vm.cancelRun(bg.runId);
    expect((await vm.getRun(bg.runId)).state).toBe("cancelled");

    const session = await vm.createSession({ env: { GREETING: "hej" }, cwd: "/tmp" });
    const inSession = await vm.run('echo "$GREETING from $(pwd)"', {
      sessionId: session.session_id,
    });
    expect(inSession.type === "completed" && text(inSession.stdout)).toBe("hej from /tmp\n");
    const withOptions = await vm.run('echo "$X in $(pwd)"', { env: { X: "y" }, cwd: "/home" });
    expect(withOptions.type === "completed" && text(withOptions.stdout)).toBe("y in /home\n");
    expect((await vm.getSession(session.session_id)).cwd).toBe("/tmp");
    const sessions = await vm.listSessions();
    expect(sessions.items.map((s) => s.session_id)).toContain(session.session_id);
    await vm.deleteSession(session.session_id);
    expect((await rejection(vm.getSession(session.session_id))).code).toBe("not_found");

    const missing = await vm.run("no-such-program --flag");
    expect(missing.type === "completed" && missing.exitCode).toBe(127);
    expect(missing.type === "completed" && text(missing.stderr)).toContain("command not found");
  });
});

function restoreEnv(name: string, value: string | undefined) {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
