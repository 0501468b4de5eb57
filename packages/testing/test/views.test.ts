// Proves the wire views built from records: every field, the optional and derived ones included.
import { describe, expect, it } from "vitest";
import {
  completedRunView,
  filesystemView,
  forkView,
  mountView,
  runSummaryView,
  runView,
  sessionView,
  tunnelView,
  vmView,
} from "../src/engine/views.js";
import { CowTree, directoryNode, fileNode } from "../src/files/cow-tree.js";
import type {
  FilesystemRecord,
  MountRecord,
  RunRecord,
  SessionRecord,
  TunnelRecord,
  VmRecord,
} from "../src/stores/records.js";

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5, 6);
const ISO0 = "2026-01-02T03:04:05.006Z";
const T1 = T0 + 1500;
const ISO1 = "2026-01-02T03:04:06.506Z";
const bytes = (text: string) => new TextEncoder().encode(text);

function vmRecord(overrides: Partial<VmRecord> = {}): VmRecord {
  return {
    id: "vm_1",
    seq: 1,
    ownerOrgId: "org_a",
    createdAt: T0,
    startedAt: T1,
    public: false,
    name: "box",
    rootSourceVmId: "vm_root",
    rootSourceVmName: "ubuntu",
    region: "us-west-2",
    provider: "aws",
    vcpuCount: 2,
    memoryMib: 4096,
    diskMib: 10240,
    disk: true,
    durable: true,
    failed: false,
    tree: new CowTree(directoryNode(T0), T0),
    ...overrides,
  };
}

function runRecord(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    id: "run_1",
    vmId: "vm_1",
    sessionId: "ses_1",
    seq: 3,
    command: "echo hi",
    state: "completed",
    startedAt: T0,
    completedAt: T1,
    exitCode: 0,
    failReason: null,
    stdout: bytes("hi\n"),
    stderr: new Uint8Array([0xff]),
    retryCount: 2,
    ...overrides,
  } as RunRecord;
}

describe("sessionView", () => {
  it("has every field; running while busy; its env a copy", () => {
    const session: SessionRecord = {
      id: "ses_1",
      vmId: "vm_1",
      idx: 3,
      seq: 1,
      cwd: "/tmp",
      env: { A: "1" },
      startedAt: T0,
    };
    const view = sessionView(session, false);
    expect(view).toEqual({
      session_id: "ses_1",
      state: "idle",
      cwd: "/tmp",
      session_idx: 3,
      env: { A: "1" },
      started_at: ISO0,
    });
    expect(view.env).not.toBe(session.env);
    expect(sessionView(session, true).state).toBe("running");
  });
});

describe("vmView and forkView", () => {
  it("has every field, sessions sorted by index", () => {
    const sessions = [2, 0, 1].map((idx) => ({
      session_id: `ses_${idx}`,
      state: "idle" as const,
      cwd: "/",
      session_idx: idx,
      env: {},
      started_at: ISO0,
    }));
    const view = vmView(vmRecord(), sessions, "running");
    expect(view).toEqual({
      vm_id: "vm_1",
      owner_org_id: "org_a",
      created_at: ISO0,
      public: false,
      state: "running",
      sessions: [0, 1, 2].map((idx) => expect.objectContaining({ session_idx: idx })),
      name: "box",
      root_source_vm_id: "vm_root",
      root_source_vm_name: "ubuntu",
      region: "us-west-2",
      provider: "aws",
      started_at: ISO1,
      vcpu_count: 2,
      memory_mib: 4096,
      disk_mib: 10240,
      durable: true,
    });
  });

  it("forkView is the VM without its size", () => {
    const view = vmView(vmRecord({ public: true }), [], "idle");
    const fork = forkView(view);
    expect(Object.keys(fork)).not.toContain("vcpu_count");
    expect(Object.keys(fork)).not.toContain("memory_mib");
    expect(Object.keys(fork)).not.toContain("disk_mib");
    const { vcpu_count: _v, memory_mib: _m, disk_mib: _d, ...rest } = view;
    expect(fork).toEqual(rest);
  });
});

describe("run views", () => {
  it("a summary has every field; completed_at null while running", () => {
    expect(runSummaryView(runRecord())).toEqual({
      run_id: "run_1",
      state: "completed",
      started_at: ISO0,
      completed_at: ISO1,
      exit_code: 0,
      fail_reason: null,
      session_id: "ses_1",
      command: "echo hi",
      retry_count: 2,
    });
    expect(runSummaryView(runRecord({ state: "running", completedAt: null })).completed_at).toBe(
      null,
    );
  });

  it("a run carries its output, text as utf-8 and other bytes as base64", () => {
    expect(runView(runRecord())).toEqual({
      ...runSummaryView(runRecord()),
      stdout: "hi\n",
      stdout_encoding: "utf-8",
      stderr: "/w==",
      stderr_encoding: "base64",
    });
  });

  it("a completed run's answer: its output, exit code, state and reason", () => {
    expect(completedRunView(runRecord())).toEqual({
      stdout: "hi\n",
      stdout_encoding: "utf-8",
      stderr: "/w==",
      stderr_encoding: "base64",
      exit_code: 0,
      run_id: "run_1",
      state: "completed",
      fail_reason: null,
      session_id: "ses_1",
    });
  });

  it("a run that did not complete answers failed, exit 1 when it has no exit code", () => {
    const view = completedRunView(
      runRecord({
        state: "cancelled",
        exitCode: null,
        failReason: "timeout",
        stdout: new Uint8Array([0xfe]),
        stderr: bytes("e"),
      }),
    );
    expect(view).toMatchObject({
      state: "failed",
      exit_code: 1,
      fail_reason: "timeout",
      stdout: "/g==",
      stdout_encoding: "base64",
      stderr: "e",
      stderr_encoding: "utf-8",
    });
    expect(completedRunView(runRecord({ state: "failed", exitCode: 3 })).exit_code).toBe(3);
  });
});

describe("filesystem, mount and tunnel views", () => {
  it("a filesystem has every field and the bytes of its files as its size", () => {
    const tree = new CowTree(directoryNode(T0), T0);
    tree.set(["a"], fileNode(bytes("12345"), T0), true, T0);
    tree.set(["d"], directoryNode(T0), true, T0);
    tree.set(["d", "b"], fileNode(bytes("678"), T0), true, T0);
    const filesystem: FilesystemRecord = {
      id: "fs_1",
      seq: 1,
      name: "data",
      ownerOrgId: "org_a",
      createdAt: T0,
      tree,
    };
    expect(filesystemView(filesystem)).toEqual({
      filesystem_id: "fs_1",
      name: "data",
      owner_org_id: "org_a",
      created_at: ISO0,
      size_bytes: 8,
    });
  });

  it("a mount is a sync with every field", () => {
    const mount = {
      id: "sync_1",
      seq: 1,
      vmId: "vm_1",
      filesystemId: "fs_1",
      path: "/mnt/data",
    } as MountRecord;
    expect(mountView(mount)).toEqual({
      sync_id: "sync_1",
      vm_id: "vm_1",
      filesystem_id: "fs_1",
      path: "/mnt/data",
    });
  });

  it("a tunnel is open with its url on the origin, closed without one once its host failed", () => {
    const tunnel: TunnelRecord = {
      vmId: "vm_1",
      port: 8080,
      seq: 1,
      visibility: "public",
      protocol: "http",
      startedAt: T0,
    };
    expect(tunnelView(tunnel, vmRecord(), "http://127.0.0.1:9")).toEqual({
      vm_id: "vm_1",
      port: 8080,
      visibility: "public",
      protocol: "http",
      state: "open",
      url: "http://127.0.0.1:9/_tunnels/vm_1/8080/",
      started_at: ISO0,
    });
    expect(tunnelView(tunnel, vmRecord({ failed: true }), "http://x")).toMatchObject({
      state: "closed",
      url: null,
    });
  });
});
