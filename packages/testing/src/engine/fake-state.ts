import { ARKER_ORG_ID } from "@arker-ai/core/contract";
import type { Session, Vm, VmState } from "@arker-ai/core/wire";
import { VmFileSystem } from "../files/vm-filesystem.js";
import { FaultRegistry } from "../http/faults.js";
import { IdempotencyStore } from "../http/idempotency.js";
import { RequestLog } from "../http/request-log.js";
import { FileStore } from "../stores/file-store.js";
import { FilesystemStore } from "../stores/filesystem-store.js";
import { MountStore } from "../stores/mount-store.js";
import { OrgStore } from "../stores/org-store.js";
import type { FilesystemRecord, MountRecord, SessionRecord, VmRecord } from "../stores/records.js";
import { RunStore } from "../stores/run-store.js";
import { SessionStore } from "../stores/session-store.js";
import type { StoreContext } from "../stores/store-context.js";
import { TunnelStore } from "../stores/tunnel-store.js";
import { assertUsable, type VmInit, VmStore } from "../stores/vm-store.js";
import { EngineClock } from "../support/clock.js";
import { ApiError, badRequest } from "../support/errors.js";
import { IdFactory } from "../support/ids.js";
import type { ResolvedOptions } from "../support/options.js";
import { SeededRandom } from "../support/random.js";
import { Sequence } from "../support/sequence.js";
import { TerminalStore } from "../terminal/terminal-store.js";
import { CommandStubs } from "./command-stubs.js";
import { FileSync } from "./file-sync.js";
import { buildBaseTree, GOLDEN_NAMES, goldenTree } from "./goldens.js";
import { Runner } from "./runner.js";
import { TunnelServers } from "./tunnel-servers.js";
import { sessionView, vmView } from "./views.js";
import { resolveSize, type SizeInput } from "./vm-size.js";

/**
 * The state of one fake: a store per resource (orgs and keys, VMs, sessions, runs,
 * filesystems, mounts, uploads and grants), the runner and file sync over them, and the
 * test controls (clock, command stubs, faults, idempotency keys, request log). The
 * operations that span resources — fork, delete, host failure, mount, reset — live
 * here; everything else is a store's own method. Both doors and the JS controls act
 * on one instance.
 *
 * @module
 */

/** Fork options after validation. */
export interface ForkInput extends SizeInput {
  sourceVmId: string | undefined;
  sourceVmName: string | undefined;
  sourceOrgId: string | undefined;
  name: string | null;
  public: boolean;
  disk: boolean;
  durable: boolean;
}

/** A new session's working directory unless told otherwise. */
export const HOME_DIRECTORY = "/home/user";

const DEFAULT_SIZE = { vcpuCount: 2, memoryMib: 4096, diskMib: 10240 };

/** The exit code a terminal reports when its session or VM goes away under it (SIGKILL). */
const TERMINAL_GONE_EXIT_CODE = 137;

/** The state of one fake. */
export class FakeState {
  /** The fake's options, defaults applied. */
  readonly options: ResolvedOptions;
  /** Fake time. */
  readonly clock: EngineClock;
  /** Seeded ids (they start over on reset). */
  readonly ids: IdFactory;
  /** Command stubs (`fake.commands`). */
  readonly stubs = new CommandStubs();
  /** Fault rules (`fake.faults`). */
  readonly faults: FaultRegistry;
  /** Remembered answers by `Idempotency-Key`. */
  readonly idempotency: IdempotencyStore;
  /** The request log (`fake.requests`). */
  readonly requestLog = new RequestLog();
  /** Orgs and API keys. */
  readonly orgs: OrgStore;
  /** VMs, goldens included. */
  readonly vms: VmStore;
  /** Sessions, by VM. */
  readonly sessions: SessionStore;
  /** Runs, by VM. */
  readonly runs = new RunStore();
  /** Persistent filesystems. */
  readonly filesystems: FilesystemStore;
  /** Mounts of filesystems into VMs. */
  readonly mounts: MountStore;
  /** Uploads and signed-URL grants of file sync. */
  readonly files: FileStore;
  /** Open tunnels, by VM and port. */
  readonly tunnels: TunnelStore;
  /** What serves each tunnel's URL (`fake.tunnels`). */
  readonly tunnelServers = new TunnelServers();
  /** Executes runs. */
  readonly runner: Runner;
  /** The terminals (PTY WebSockets) of sessions. */
  readonly terminals = new TerminalStore();
  /** File reads and writes, and the signed URLs they hand out. */
  readonly fileSync: FileSync;
  readonly #sequence = new Sequence();
  readonly #filesystemViews = new WeakMap<VmRecord, VmFileSystem>();
  #defaultApiKey = "";

  /** Creates the state with goldens and the default org. */
  constructor(options: ResolvedOptions) {
    this.options = options;
    this.clock = new EngineClock(options.startTime, options.clock);
    this.ids = new IdFactory(new SeededRandom(options.seed, "ids"), () => this.clock.now());
    this.faults = new FaultRegistry(new SeededRandom(options.seed, "faults"));
    this.idempotency = new IdempotencyStore(() => this.clock.now());
    const context: StoreContext = { clock: this.clock, ids: this.ids, sequence: this.#sequence };
    this.orgs = new OrgStore(this.ids);
    this.vms = new VmStore(context, { region: options.region, provider: options.provider });
    this.sessions = new SessionStore(context);
    this.filesystems = new FilesystemStore(context);
    this.mounts = new MountStore(context);
    this.files = new FileStore();
    this.tunnels = new TunnelStore(context);
    this.runner = new Runner({
      clock: this.clock,
      runs: this.runs,
      newId: (prefix) => this.ids.next(prefix),
      stubs: this.stubs,
      syncWindowMs: options.syncWindowMs,
      python: options.python,
      maxCommandMs: options.maxCommandMs,
      maxOutputBytes: options.maxOutputBytes,
      nextSeq: () => this.#sequence.next(),
      filesystemOf: (vm) => this.filesystemOf(vm),
    });
    this.fileSync = new FileSync(this);
    this.#populate();
  }

  #populate(): void {
    this.orgs.ensureOrg(ARKER_ORG_ID);
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
    this.orgs.ensureOrg(this.options.orgId);
    this.#defaultApiKey = this.options.apiKey;
    this.orgs.addKey(this.options.orgId, this.#defaultApiKey);
  }

  /** The default org's API key. */
  get defaultApiKey(): string {
    return this.#defaultApiKey;
  }

  /** Clears everything (runs are cancelled) and starts over as a fresh fake with the same seed. */
  reset(): void {
    this.terminals.endWhere(() => true, TERMINAL_GONE_EXIT_CODE);
    for (const vm of this.vms.all()) this.#stopRuns(vm);
    this.clock.resetTo(this.options.startTime);
    this.stubs.clear();
    this.faults.clear();
    this.idempotency.clear();
    this.requestLog.clear();
    this.orgs.clear();
    this.vms.clear();
    this.sessions.clear();
    this.runs.clear();
    this.filesystems.clear();
    this.mounts.clear();
    this.files.clear();
    this.tunnels.clear();
    this.tunnelServers.clear();
    this.#sequence.reset();
    this.ids.reset();
    this.#populate();
  }

  /** Stops every run and timer (on close). */
  shutdown(): void {
    this.terminals.endWhere(() => true, TERMINAL_GONE_EXIT_CODE);
    for (const vm of this.vms.all()) this.#stopRuns(vm);
    this.clock.clear();
  }

  #stopRuns(vm: VmRecord): void {
    for (const run of this.runs.active(vm)) this.runner.cancel(run);
  }

  // VMs.

  #createVm(init: VmInit): VmRecord {
    const vm = this.vms.create(init);
    this.sessions.create(vm, {}, HOME_DIRECTORY);
    return vm;
  }

  /** Forks a VM (copy-on-write, O(1) in the source's size). */
  fork(orgId: string, input: ForkInput): VmRecord {
    let source: VmRecord | undefined;
    if (input.sourceVmId !== undefined) {
      source = this.vms.visible(orgId, input.sourceVmId);
    } else {
      const sourceOrg = input.sourceOrgId ?? orgId;
      source = this.vms.newestNamed(sourceOrg, input.sourceVmName, orgId);
      // A bare name falls back to the public goldens (issue 11, item 2).
      if (source === undefined && input.sourceOrgId === undefined) {
        source = this.vms.newestNamed(ARKER_ORG_ID, input.sourceVmName, orgId);
      }
      if (source === undefined) {
        throw new ApiError("not_found", `vm not found: ${sourceOrg}/${input.sourceVmName ?? ""}`);
      }
    }
    assertUsable(source);
    if (input.durable && !this.options.durability) {
      throw new ApiError("unsupported_operation", "durable VMs are not supported by this backend");
    }
    const size = resolveSize(input, source, false);
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

  /** Deletes a VM: cancels its runs, removes its mounts (filesystems stay) and tunnels. */
  deleteVm(vm: VmRecord): void {
    this.#stopRuns(vm);
    this.mounts.removeVm(vm);
    this.tunnels.removeVm(vm);
    this.tunnelServers.removeVm(vm.id);
    this.vms.remove(vm);
    this.files.removeVm(vm);
    this.sessions.removeVm(vm);
    this.runs.removeVm(vm);
    this.terminals.endWhere((key) => key.vmId === vm.id, TERMINAL_GONE_EXIT_CODE);
  }

  /**
   * Resizes a VM, also while runs are in flight (issue 11, item 4: the real service
   * accepts it; `vm_busy` comes only from a fault rule).
   */
  resize(vm: VmRecord, input: SizeInput): void {
    this.vms.resize(vm, resolveSize(input, vm, true));
  }

  /**
   * Simulates a host failure: a durable VM keeps its files and its in-flight runs go on
   * (`retry_count` + 1). A non-durable VM's runs in flight or queued end `failed` with
   * `host_failed` (exit 137) and the VM turns `failed`: it and its runs stay readable,
   * everything that needs a host answers 409 `conflict`, and it can be deleted.
   * Failing a failed VM's host again changes nothing.
   */
  failHost(vmId: string): void {
    const vm = this.vms.get(vmId);
    if (vm === undefined) throw new Error(`failHost: no VM ${vmId}`);
    if (vm.durable) {
      this.runs.countRetry(vm);
      return;
    }
    vm.failed = true;
    for (const run of this.runs.active(vm)) this.runner.failForHost(run);
  }

  /** The just-bash filesystem of a VM (its tree plus live mounts). */
  filesystemOf(vm: VmRecord): VmFileSystem {
    let view = this.#filesystemViews.get(vm);
    if (view === undefined) {
      view = new VmFileSystem(
        vm.tree,
        () =>
          this.mounts.list(vm).map((mount) => ({ path: mount.path, tree: mount.filesystem.tree })),
        () => this.clock.now(),
        this.options.maxVmBytes,
      );
      this.#filesystemViews.set(vm, view);
    }
    return view;
  }

  /** A VM's state: `failed` once its host failed, else `running` while a run is in flight. */
  vmState(vm: VmRecord): VmState {
    if (vm.failed) return "failed";
    return this.runs.isBusy(vm) ? "running" : "idle";
  }

  /** A VM on the wire. */
  vmView(vm: VmRecord): Vm {
    const sessions = this.sessions.list(vm).map((session) => this.sessionView(session));
    return vmView(vm, sessions, this.vmState(vm));
  }

  // Sessions.

  /** A session on the wire. */
  sessionView(session: SessionRecord): Session {
    return sessionView(session, this.runner.isSessionBusy(session));
  }

  /** The session a run targets: by id, by index, or the default (index 0, recreated if deleted). */
  sessionFor(
    vm: VmRecord,
    sessionId: string | undefined,
    sessionIdx: number | undefined,
  ): SessionRecord {
    if (sessionId !== undefined) {
      const session = this.sessions.find(vm, sessionId);
      if (sessionIdx !== undefined && session.idx !== sessionIdx) {
        throw badRequest("session_id and session_idx name different sessions");
      }
      return session;
    }
    const idx = sessionIdx ?? 0;
    const session = this.sessions.byIndex(vm, idx);
    if (session !== undefined) return session;
    if (idx === 0) return this.sessions.create(vm, {}, HOME_DIRECTORY, 0);
    throw new ApiError("not_found", `session not found: index ${idx}`);
  }

  /** Deletes a session, cancelling its runs. */
  deleteSession(session: SessionRecord): void {
    this.runner.cancelSession(session);
    this.sessions.remove(session);
    this.terminals.endWhere((key) => key.sessionId === session.id, TERMINAL_GONE_EXIT_CODE);
  }

  // Filesystems and mounts.

  /** Deletes a filesystem; 409 while mounted. */
  deleteFilesystem(filesystem: FilesystemRecord): void {
    if (this.mounts.isMounted(filesystem)) {
      throw new ApiError(
        "conflict",
        `filesystem ${filesystem.id} is mounted; delete its syncs first`,
      );
    }
    this.filesystems.remove(filesystem);
  }

  /** Mounts a filesystem into a VM at `path`; 409 when the path is taken. */
  mount(vm: VmRecord, filesystem: FilesystemRecord, path: string): MountRecord {
    if (path === "/") throw badRequest("cannot mount over /");
    const overlap = this.mounts.overlapping(vm, path);
    if (overlap !== undefined) {
      throw new ApiError(
        "conflict",
        `mount path ${path} overlaps sync ${overlap.id} at ${overlap.path}`,
      );
    }
    const files = this.filesystemOf(vm);
    const kind = files.kindOf(path);
    if (kind !== undefined && kind !== "directory")
      throw new ApiError("conflict", `${path} exists and is not a directory`);
    files.ensureDirectory(path);
    return this.mounts.add(vm, filesystem, path);
  }
}
