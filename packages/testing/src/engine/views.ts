import type {
  CompletedRunResponse,
  Filesystem,
  ForkResponse,
  Run,
  RunSummary,
  Session,
  Sync,
  Tunnel,
  Vm,
  VmState,
} from "@arker-ai/core/wire";
import { totalFileBytes } from "../files/cow-tree.js";
import { tunnelUrl } from "../http/tunnel-paths.js";
import type {
  FilesystemRecord,
  MountRecord,
  RunRecord,
  SessionRecord,
  TunnelRecord,
  VmRecord,
} from "../stores/records.js";
import { encodeOutput } from "./output.js";

/**
 * Builds the wire shapes of `@arker-ai/core/wire` from records, so the fake answers
 * with exactly the types the SDK reads. What a record does not hold itself (whether a
 * run is in flight, a VM's sessions) is passed in.
 *
 * @module
 */

const iso = (ms: number): string => new Date(ms).toISOString();

/** A session on the wire; `busy` while one of its runs is queued or executing. */
export function sessionView(session: SessionRecord, busy: boolean): Session {
  return {
    session_id: session.id,
    state: busy ? "running" : "idle",
    cwd: session.cwd,
    session_idx: session.idx,
    env: { ...session.env },
    started_at: iso(session.startedAt),
  };
}

/** A VM as the fork answer has it: without its size (issue 11, item 3). */
export function forkView(vm: Vm): ForkResponse {
  const { vcpu_count: _vcpu, memory_mib: _memory, disk_mib: _disk, ...rest } = vm;
  return rest;
}

/** A VM on the wire, with its sessions (by index); `busy` while a run is in flight. */
export function vmView(vm: VmRecord, sessions: Session[], state: VmState): Vm {
  return {
    vm_id: vm.id,
    owner_org_id: vm.ownerOrgId,
    created_at: iso(vm.createdAt),
    public: vm.public,
    state,
    sessions: sessions.sort((a, b) => a.session_idx - b.session_idx),
    name: vm.name,
    root_source_vm_id: vm.rootSourceVmId,
    root_source_vm_name: vm.rootSourceVmName,
    region: vm.region,
    provider: vm.provider,
    started_at: iso(vm.startedAt),
    vcpu_count: vm.vcpuCount,
    memory_mib: vm.memoryMib,
    disk_mib: vm.diskMib,
    durable: vm.durable,
  };
}

/** One row of a run list. */
export function runSummaryView(run: RunRecord): RunSummary {
  return {
    run_id: run.id,
    state: run.state,
    started_at: iso(run.startedAt),
    completed_at: run.completedAt === null ? null : iso(run.completedAt),
    exit_code: run.exitCode,
    fail_reason: run.failReason,
    session_id: run.sessionId,
    command: run.command,
    retry_count: run.retryCount,
  };
}

/** A run with its output. */
export function runView(run: RunRecord): Run {
  const stdout = encodeOutput(run.stdout);
  const stderr = encodeOutput(run.stderr);
  return {
    ...runSummaryView(run),
    stdout: stdout.text,
    stdout_encoding: stdout.encoding,
    stderr: stderr.text,
    stderr_encoding: stderr.encoding,
  };
}

/** The 200 answer of a finished foreground run. */
export function completedRunView(run: RunRecord): CompletedRunResponse {
  const stdout = encodeOutput(run.stdout);
  const stderr = encodeOutput(run.stderr);
  return {
    stdout: stdout.text,
    stdout_encoding: stdout.encoding,
    stderr: stderr.text,
    stderr_encoding: stderr.encoding,
    exit_code: run.exitCode ?? 1,
    run_id: run.id,
    state: run.state === "completed" ? "completed" : "failed",
    fail_reason: run.failReason,
    session_id: run.sessionId,
  };
}

/** A filesystem on the wire. */
export function filesystemView(filesystem: FilesystemRecord): Filesystem {
  return {
    filesystem_id: filesystem.id,
    name: filesystem.name,
    owner_org_id: filesystem.ownerOrgId,
    created_at: iso(filesystem.createdAt),
    size_bytes: totalFileBytes(filesystem.tree.root),
  };
}

/** A mount on the wire (a "sync"). */
export function mountView(mount: MountRecord): Sync {
  return {
    sync_id: mount.id,
    vm_id: mount.vmId,
    filesystem_id: mount.filesystemId,
    path: mount.path,
  };
}

/**
 * A tunnel on the wire: `open` with its `url` on `origin` (the fake's own), or `closed`
 * without one once its VM's host failed.
 */
export function tunnelView(tunnel: TunnelRecord, vm: VmRecord, origin: string): Tunnel {
  return {
    vm_id: tunnel.vmId,
    port: tunnel.port,
    visibility: tunnel.visibility,
    protocol: tunnel.protocol,
    state: vm.failed ? "closed" : "open",
    url: vm.failed ? null : tunnelUrl(origin, tunnel.vmId, tunnel.port),
    started_at: iso(tunnel.startedAt),
  };
}
