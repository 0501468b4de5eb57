import { ARKER_ORG_ID, RESIZE_LIMITS } from "@arker-ai/core/wire";
import { CowTree } from "../files/cow-tree.js";
import { VmFileSystem } from "../files/vm-filesystem.js";
import { FaultRegistry } from "../http/faults.js";
import { IdempotencyStore } from "../http/idempotency.js";
import { RequestLog } from "../http/request-log.js";
import { ManualClock } from "../support/clock.js";
import { ApiError, badRequest, notFound } from "../support/errors.js";
import { IdFactory } from "../support/ids.js";
import type { ResolvedOptions } from "../support/options.js";
import { SeededRandom } from "../support/random.js";
import { CommandStubs } from "./command-stubs.js";
import { buildBaseTree, GOLDEN_NAMES, goldenTree } from "./goldens.js";
import type {
  BlobGrant,
  FilesystemRecord,
  OrgRecord,
  SessionRecord,
  SyncRecord,
  UploadRecord,
  VmRecord,
} from "./records.js";
import { Runner } from "./runner.js";

/**
 * The engine's state and its operations on VMs, sessions, filesystems and mounts. Both
 * doors and the JS controls act on one instance.
 *
 * @module
 */

interface KeyRecord {
  orgId: string;
  revoked: boolean;
}

/** Fork options after validation. */
export interface ForkInput {
  sourceVmId: string | undefined;
  sourceVmName: string | undefined;
  sourceOrgId: string | undefined;
  name: string | null;
  public: boolean;
  disk: boolean;
  vcpuCount: number | undefined;
  memoryMib: number | undefined;
  diskMib: number | undefined;
  durable: boolean;
}

/** Resize after validation. */
export interface ResizeInput {
  vcpuCount: number | undefined;
  memoryMib: number | undefined;
  diskMib: number | undefined;
}

const DEFAULT_SIZE = { vcpuCount: 2, memoryMib: 4096, diskMib: 10240 };

/** The state of one fake. */
export class FakeState {
  readonly options: ResolvedOptions;
  readonly clock: ManualClock;
  readonly stubs = new CommandStubs();
  readonly faults: FaultRegistry;
  readonly idempotency: IdempotencyStore;
  readonly requestLog = new RequestLog();
  readonly runner: Runner;
  ids!: IdFactory;
  orgs = new Map<string, OrgRecord>();
  keys = new Map<string, KeyRecord>();
  vms = new Map<string, VmRecord>();
  filesystems = new Map<string, FilesystemRecord>();
  uploads = new Map<string, UploadRecord>();
  grants = new Map<string, BlobGrant>();
  defaultApiKey = "";
  #seq = 0;
  #filesystemViews = new WeakMap<VmRecord, VmFileSystem>();

  /** Creates the state with goldens and the default org. */
  constructor(options: ResolvedOptions) {
    this.options = options;
    this.clock = new ManualClock(options.startTime);
    this.faults = new FaultRegistry(new SeededRandom(options.seed, "faults"));
    this.idempotency = new IdempotencyStore(() => this.clock.now());
    this.runner = new Runner({
      clock: this.clock,
      newId: (prefix) => this.ids.next(prefix),
      stubs: this.stubs,
      syncWindowMs: options.syncWindowMs,
      python: options.python,
      nextSeq: () => this.nextSeq(),
      filesystemOf: (vm) => this.filesystemOf(vm),
    });
    this.#populate();
  }

  #populate(): void {
    this.ids = new IdFactory(new SeededRandom(this.options.seed, "ids"), () => this.clock.now());
    this.orgs.set(ARKER_ORG_ID, { orgId: ARKER_ORG_ID, name: ARKER_ORG_ID });
    const base = buildBaseTree(this.clock.now());
    for (const name of GOLDEN_NAMES) {
      const wide = name === "ubuntu-full-32";
      this.#createVm({
        ownerOrgId: ARKER_ORG_ID,
        public: true,
        name,
        rootSourceVmId: null,
        rootSourceVmName: null,
        vcpuCount: wide ? 32 : DEFAULT_SIZE.vcpuCount,
        memoryMib: wide ? 65536 : DEFAULT_SIZE.memoryMib,
        diskMib: name.includes("nodisk") ? 0 : DEFAULT_SIZE.diskMib,
        disk: !name.includes("nodisk"),
        durable: false,
        tree: goldenTree(base, name, this.clock.now()),
      });
    }
    this.orgs.set(this.options.orgId, { orgId: this.options.orgId, name: this.options.orgId });
    this.defaultApiKey = this.options.apiKey ?? this.ids.apiKey();
    this.keys.set(this.defaultApiKey, { orgId: this.options.orgId, revoked: false });
  }

  /** Clears everything (runs are cancelled) and starts over as a fresh fake with the same seed. */
  reset(): void {
    for (const vm of this.vms.values()) this.#stopRuns(vm);
    this.clock.resetTo(this.options.startTime);
    this.stubs.clear();
    this.faults.clear();
    this.idempotency.clear();
    this.requestLog.clear();
    this.orgs = new Map();
    this.keys = new Map();
    this.vms = new Map();
    this.filesystems = new Map();
    this.uploads = new Map();
    this.grants = new Map();
    this.#seq = 0;
    this.#populate();
  }

  /** Stops every run and timer (on close). */
  shutdown(): void {
    for (const vm of this.vms.values()) this.#stopRuns(vm);
    this.clock.clear();
  }

  /** The next creation sequence number (the order of lists). */
  nextSeq(): number {
    this.#seq++;
    return this.#seq;
  }

  // Orgs and keys.

  /** Adds an org (or a key to an existing org) and returns a fresh key for it. */
  addOrg(name?: string): { orgId: string; apiKey: string } {
    const orgId = name ?? `org_${this.ids.ulid().toLowerCase()}`;
    if (typeof orgId !== "string" || orgId === "" || orgId.length > 128) {
      throw new TypeError("org name must be a non-empty string of at most 128 characters");
    }
    if (!this.orgs.has(orgId)) this.orgs.set(orgId, { orgId, name: orgId });
    const apiKey = this.ids.apiKey();
    this.keys.set(apiKey, { orgId, revoked: false });
    return { orgId, apiKey };
  }

  /** Revokes a key; `true` if it existed. */
  revokeKey(apiKey: string): boolean {
    const record = this.keys.get(apiKey);
    if (record === undefined) return false;
    record.revoked = true;
    return true;
  }

  /** The org of an `authorization` header; 401 for a missing, unknown or revoked key. */
  authenticate(header: string | undefined): string {
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match === null) throw new ApiError("unauthorized", "missing or malformed API key");
    const record = this.keys.get(match[1]!);
    if (record === undefined || record.revoked)
      throw new ApiError("unauthorized", "invalid API key");
    return record.orgId;
  }

  // VMs.

  #createVm(
    init: Omit<
      VmRecord,
      | "id"
      | "seq"
      | "createdAt"
      | "startedAt"
      | "region"
      | "provider"
      | "sessions"
      | "nextSessionIdx"
      | "runs"
      | "activeRuns"
      | "syncs"
      | "deleted"
    >,
  ): VmRecord {
    const now = this.clock.now();
    const vm: VmRecord = {
      ...init,
      id: this.ids.next("vm"),
      seq: this.nextSeq(),
      createdAt: now,
      startedAt: now,
      region: this.options.region,
      provider: this.options.provider,
      sessions: new Map(),
      nextSessionIdx: 0,
      runs: new Map(),
      activeRuns: new Set(),
      syncs: new Map(),
      deleted: false,
    };
    this.vms.set(vm.id, vm);
    this.createSession(vm, {}, "/home/user");
    return vm;
  }

  /** A VM the org may read (its own, or a public one); else 404. */
  visibleVm(orgId: string, vmId: string): VmRecord {
    const vm = this.vms.get(vmId);
    if (vm === undefined || (vm.ownerOrgId !== orgId && !vm.public))
      throw notFound(`vm not found: ${vmId}`);
    return vm;
  }

  /** A VM the org may change: its own; another org's public VM → 403; else 404. */
  ownedVm(orgId: string, vmId: string): VmRecord {
    const vm = this.visibleVm(orgId, vmId);
    if (vm.ownerOrgId !== orgId)
      throw new ApiError("forbidden", `vm ${vmId} belongs to another org`);
    return vm;
  }

  /** Forks a VM (copy-on-write, O(1) in the source's size). */
  fork(orgId: string, input: ForkInput): VmRecord {
    let source: VmRecord | undefined;
    if (input.sourceVmId !== undefined) {
      source = this.visibleVm(orgId, input.sourceVmId);
    } else {
      const sourceOrg = input.sourceOrgId ?? orgId;
      let newest: VmRecord | undefined;
      for (const vm of this.vms.values()) {
        if (vm.ownerOrgId !== sourceOrg || vm.name !== input.sourceVmName) continue;
        if (vm.ownerOrgId !== orgId && !vm.public) continue;
        if (newest === undefined || vm.seq > newest.seq) newest = vm;
      }
      if (newest === undefined) {
        throw notFound(`vm not found: ${sourceOrg}/${input.sourceVmName ?? ""}`);
      }
      source = newest;
    }
    if (input.durable && !this.options.durability) {
      throw new ApiError("unsupported_operation", "durable VMs are not supported by this backend");
    }
    const size = validateSize(
      { vcpuCount: input.vcpuCount, memoryMib: input.memoryMib, diskMib: input.diskMib },
      { vcpuCount: source.vcpuCount, memoryMib: source.memoryMib, diskMib: source.diskMib },
      false,
    );
    return this.#createVm({
      ownerOrgId: orgId,
      public: input.public,
      name: input.name,
      rootSourceVmId: source.rootSourceVmId ?? source.id,
      rootSourceVmName: source.rootSourceVmId === null ? source.name : source.rootSourceVmName,
      vcpuCount: size.vcpuCount,
      memoryMib: size.memoryMib,
      diskMib: size.diskMib,
      disk: input.disk,
      durable: input.durable,
      tree: source.tree.fork(),
    });
  }

  /** Deletes a VM: cancels its runs and removes its mounts (filesystems stay). */
  deleteVm(vm: VmRecord): void {
    this.#stopRuns(vm);
    for (const sync of vm.syncs.values()) sync.filesystem.mounts.delete(sync);
    vm.syncs.clear();
    vm.deleted = true;
    this.vms.delete(vm.id);
    for (const [key, upload] of this.uploads)
      if (key.startsWith(`${vm.id}/`) && !upload.written) this.uploads.delete(key);
  }

  #stopRuns(vm: VmRecord): void {
    for (const run of [...vm.activeRuns]) this.runner.cancel(vm, run);
  }

  /** Resizes a VM; 409 `vm_busy` while a run is in flight. */
  resize(vm: VmRecord, input: ResizeInput): void {
    const size = validateSize(input, vm, true);
    if (vm.activeRuns.size > 0) throw new ApiError("vm_busy", `vm ${vm.id} has a run in flight`);
    vm.vcpuCount = size.vcpuCount;
    vm.memoryMib = size.memoryMib;
    vm.diskMib = size.diskMib;
  }

  /**
   * Simulates a host failure: a durable VM keeps its files and its in-flight runs go on
   * (`retry_count` + 1); a non-durable VM's runs fail with `host_failed` and the VM is gone.
   */
  failHost(vmId: string): void {
    const vm = this.vms.get(vmId);
    if (vm === undefined) throw new Error(`failHost: no VM ${vmId}`);
    if (vm.durable) {
      for (const run of vm.activeRuns) run.retryCount++;
      return;
    }
    for (const run of [...vm.activeRuns]) this.runner.failForHost(vm, run);
    this.deleteVm(vm);
  }

  /** The just-bash filesystem of a VM (its tree plus live mounts). */
  filesystemOf(vm: VmRecord): VmFileSystem {
    let view = this.#filesystemViews.get(vm);
    if (view === undefined) {
      view = new VmFileSystem(
        vm.tree,
        () => {
          const mounts = [];
          for (const sync of vm.syncs.values())
            mounts.push({ path: sync.path, tree: sync.filesystem.tree });
          return mounts;
        },
        () => this.clock.now(),
      );
      this.#filesystemViews.set(vm, view);
    }
    return view;
  }

  // Sessions.

  /** Creates a session with the next index. */
  createSession(
    vm: VmRecord,
    env: Record<string, string>,
    cwd: string,
    idx?: number,
  ): SessionRecord {
    const session: SessionRecord = {
      id: this.ids.next("sess"),
      idx: idx ?? vm.nextSessionIdx++,
      seq: this.nextSeq(),
      cwd,
      env: { ...env },
      startedAt: this.clock.now(),
      tail: Promise.resolve(),
      pending: new Set(),
    };
    vm.sessions.set(session.id, session);
    return session;
  }

  /** The session a run targets: by id, by index, or the default (index 0, recreated if deleted). */
  sessionFor(
    vm: VmRecord,
    sessionId: string | undefined,
    sessionIdx: number | undefined,
  ): SessionRecord {
    if (sessionId !== undefined) {
      const session = vm.sessions.get(sessionId);
      if (session === undefined) throw notFound(`session not found: ${sessionId}`);
      if (sessionIdx !== undefined && session.idx !== sessionIdx) {
        throw badRequest("session_id and session_idx name different sessions");
      }
      return session;
    }
    const idx = sessionIdx ?? 0;
    for (const session of vm.sessions.values()) if (session.idx === idx) return session;
    if (idx === 0) return this.createSession(vm, {}, "/home/user", 0);
    throw notFound(`session not found: index ${idx}`);
  }

  /** Deletes a session, cancelling its runs. */
  deleteSession(vm: VmRecord, session: SessionRecord): void {
    for (const run of [...session.pending]) this.runner.cancel(vm, run);
    vm.sessions.delete(session.id);
  }

  // Filesystems and mounts.

  /** Creates a filesystem. */
  createFilesystem(orgId: string, name: string): FilesystemRecord {
    const filesystem: FilesystemRecord = {
      id: this.ids.next("fs"),
      seq: this.nextSeq(),
      name,
      ownerOrgId: orgId,
      createdAt: this.clock.now(),
      tree: new CowTree(undefined, this.clock.now()),
      mounts: new Set(),
    };
    this.filesystems.set(filesystem.id, filesystem);
    return filesystem;
  }

  /** The org's filesystem; another org's → 404. */
  ownedFilesystem(orgId: string, filesystemId: string): FilesystemRecord {
    const filesystem = this.filesystems.get(filesystemId);
    if (filesystem === undefined || filesystem.ownerOrgId !== orgId) {
      throw notFound(`filesystem not found: ${filesystemId}`);
    }
    return filesystem;
  }

  /** Deletes a filesystem; 409 while mounted. */
  deleteFilesystem(filesystem: FilesystemRecord): void {
    if (filesystem.mounts.size > 0) {
      throw new ApiError(
        "conflict",
        `filesystem ${filesystem.id} is mounted; delete its syncs first`,
      );
    }
    this.filesystems.delete(filesystem.id);
  }

  /** Mounts a filesystem into a VM at `path`; 409 when the path is taken. */
  createSync(vm: VmRecord, filesystem: FilesystemRecord, path: string): SyncRecord {
    if (path === "/") throw badRequest("cannot mount over /");
    for (const sync of vm.syncs.values()) {
      if (
        sync.path === path ||
        path.startsWith(`${sync.path}/`) ||
        sync.path.startsWith(`${path}/`)
      ) {
        throw new ApiError(
          "conflict",
          `mount path ${path} overlaps sync ${sync.id} at ${sync.path}`,
        );
      }
    }
    const kind = this.filesystemOf(vm).kindOf(path);
    if (kind !== undefined && kind !== "directory")
      throw new ApiError("conflict", `${path} exists and is not a directory`);
    this.filesystemOf(vm).ensureDirectory(path);
    const sync: SyncRecord = {
      id: this.ids.next("sync"),
      seq: this.nextSeq(),
      vmId: vm.id,
      filesystemId: filesystem.id,
      path,
      filesystem,
    };
    vm.syncs.set(sync.id, sync);
    filesystem.mounts.add(sync);
    return sync;
  }

  /** Unmounts. */
  deleteSync(vm: VmRecord, sync: SyncRecord): void {
    vm.syncs.delete(sync.id);
    sync.filesystem.mounts.delete(sync);
  }
}

interface Size {
  vcpuCount: number;
  memoryMib: number;
  diskMib: number;
}

function validateSize(input: ResizeInput, current: Size, growOnly: boolean): Size {
  const { vcpu, memoryMib } = RESIZE_LIMITS;
  if (
    input.vcpuCount !== undefined &&
    !(
      Number.isInteger(input.vcpuCount) &&
      input.vcpuCount >= vcpu.min &&
      input.vcpuCount <= vcpu.max
    )
  ) {
    throw badRequest(`vcpu_count must be an integer from ${vcpu.min} to ${vcpu.max}`);
  }
  if (
    input.memoryMib !== undefined &&
    !(
      Number.isInteger(input.memoryMib) &&
      input.memoryMib >= memoryMib.min &&
      input.memoryMib <= memoryMib.max &&
      input.memoryMib % memoryMib.step === 0
    )
  ) {
    throw badRequest(
      `memory_mib must be a multiple of ${memoryMib.step} from ${memoryMib.min} to ${memoryMib.max}`,
    );
  }
  if (input.diskMib !== undefined) {
    if (!(Number.isInteger(input.diskMib) && input.diskMib >= 0))
      throw badRequest("disk_mib must be an integer ≥ 0");
    if (growOnly && input.diskMib < current.diskMib) {
      throw badRequest(`disk_mib can only grow (current ${current.diskMib})`);
    }
  }
  return {
    vcpuCount: input.vcpuCount ?? current.vcpuCount,
    memoryMib: input.memoryMib ?? current.memoryMib,
    diskMib: input.diskMib ?? current.diskMib,
  };
}
