import type { ArkerClient, CallOptions, Page } from "@arker-ai/core";
import type { SignalName } from "@arker-ai/core/contract";
import {
  asyncDispose,
  badRequest,
  deleteIgnoringNotFound,
  requireId,
} from "@arker-ai/core/internal";
import type {
  ForkResponse,
  RunSummary,
  Session,
  Sync,
  Tunnel,
  Vm as WireVm,
} from "@arker-ai/core/wire";
import { download } from "./resources/download";
import { type ExecOptions, type ExecResult, exec } from "./resources/exec";
import {
  type ReadFileOptions,
  readFile,
  type WriteFileOptions,
  writeFile,
} from "./resources/files";
import { type ForkOptions, forkRequest } from "./resources/fork-request";
import {
  type CreatedSync,
  type CreateSyncOptions,
  createSync,
  deleteSync,
  getSync,
  type ListSyncsOptions,
  listSyncs,
} from "./resources/mounts";
import { openPty, type PtyOptions, type SpawnOptions, spawn } from "./resources/pty";
import type { Pty } from "./resources/pty-handle";
import type { ResizeSize } from "./resources/resize-request";
import type { RunDetails, RunResult } from "./resources/run-decoders";
import type { RunOptions } from "./resources/run-request";
import {
  cancelRun,
  getRun,
  type ListRunsOptions,
  listRuns,
  startRun,
  type WaitForRunOptions,
  waitForRun,
} from "./resources/runs";
import {
  type CreatedSession,
  type CreateSessionOptions,
  createPtyTicket,
  createSession,
  deleteSession,
  getSession,
  type ListSessionsOptions,
  listSessions,
  type PtyTicket,
} from "./resources/sessions";
import { type SignalOptions, type SignalResult, sendSignal } from "./resources/signals";
import {
  type CreatedTunnel,
  type CreateTunnelOptions,
  createTunnel,
  deleteTunnel,
  getTunnel,
  type ListTunnelsOptions,
  listTunnels,
} from "./resources/tunnels";
import { type TreeTransferOptions, type TreeTransferResult, upload } from "./resources/upload";
import { deleteVm, forkVm, getVm, resizeVm } from "./resources/vms";
import { type FileToWrite, type WriteFilesOptions, writeFiles } from "./resources/write-files";
import type { FileData } from "./support/file-data";

/** A VM as the API describes it (the wire object, snake_case fields). */
export type VmInfo = WireVm;

/**
 * A VM as a fork answers it: a {@link VmInfo} without `vcpu_count`, `memory_mib` and
 * `disk_mib`, which the service leaves out of the fork answer; `vm.get()` has them.
 */
export type ForkedVmInfo = ForkResponse;

/**
 * A handle on one VM. Getting one costs nothing (`vms.vm(id)`); every method is one API
 * call (or a few, for large files and waits).
 *
 * @example
 * const vm = await arker.fork("ubuntu-full");
 * const run = await vm.run("python3 -c 'print(2 + 2)'");
 * await vm.sync("/tmp/data.txt", "hello\n");
 */
export class Vm {
  /** The VM's id (`vm_…`). */
  readonly id: string;
  readonly #client: ArkerClient;
  #info: VmInfo | ForkedVmInfo | null;

  /**
   * Wraps an id; no request is sent. Prefer `VmClient.vm(id)` or `VmClient.fork`.
   * Throws `bad_request` for an empty id.
   */
  constructor(client: ArkerClient, vmId: string, info: VmInfo | ForkedVmInfo | null = null) {
    this.id = requireId(vmId, "vmId");
    this.#client = client;
    this.#info = info;
  }

  /**
   * What `fork` (a {@link ForkedVmInfo}, without the size), `getVm` or {@link Vm.get}
   * last returned for this VM; `null` for a bare handle.
   */
  get info(): VmInfo | ForkedVmInfo | null {
    return this.#info;
  }

  /** `GET /v1/vms/{id}`: the VM's current description (also stored in {@link Vm.info}). */
  async get(options?: CallOptions): Promise<VmInfo> {
    const info = await getVm(this.#client, this.id, options);
    this.#info = info;
    return info;
  }

  /** Forks this VM (copy-on-write, constant time) into a new child VM. */
  async fork(options: ForkOptions = {}): Promise<Vm> {
    const body = forkRequest({ ...options, sourceVmId: this.id, sourceVmName: undefined });
    const info = await forkVm(this.#client, body, options);
    return new Vm(this.#client, info.vm_id, info);
  }

  /**
   * Runs a shell command. Resolves to `type: "completed"` with the output as bytes, or
   * `type: "background"` with a `runId` when `background` was asked for or the run
   * outlived the service's synchronous window.
   */
  run(command: string, options?: RunOptions): Promise<RunResult> {
    return startRun(this.#client, this.id, command, options);
  }

  /**
   * Runs a command to its end and resolves to its output as text: `{ stdout, stderr,
   * exitCode, runId, … }`. A run past the service's synchronous window is polled to its
   * end. A non-zero exit or a failed run (timeout, cancel, host failure) rejects with a
   * `CommandFailedError` (`code: "command_failed"`, the run in `result`), unless
   * `check: false`.
   *
   * @example
   * const { stdout } = await vm.exec("python3 -c 'print(2 + 2)'"); // "4\n"
   */
  exec(command: string, options?: ExecOptions): Promise<ExecResult> {
    return exec(this.#client, this.id, command, options);
  }

  /** `GET /v1/vms/{id}/runs/{run_id}`: a run's state and output so far. */
  getRun(runId: string, options?: CallOptions): Promise<RunDetails> {
    return getRun(this.#client, this.id, runId, options);
  }

  /** `GET /v1/vms/{id}/runs`: this VM's runs, newest first; `for await` walks every page. */
  listRuns(options?: ListRunsOptions): Promise<Page<RunSummary>> {
    return listRuns(this.#client, this.id, options);
  }

  /** `DELETE /v1/vms/{id}/runs/{run_id}`: cancels a running command. */
  cancelRun(runId: string, options?: CallOptions): Promise<void> {
    return cancelRun(this.#client, this.id, runId, options);
  }

  /**
   * Polls a run (every 500 ms by default) until it is no longer `running`; with
   * `timeoutMs`, gives up after that long with `timeout` (the run keeps going).
   */
  waitForRun(runId: string, options?: WaitForRunOptions): Promise<RunDetails> {
    return waitForRun(this.#client, this.id, runId, options);
  }

  /**
   * Sends `signal` (`SIGINT`, `SIGTERM`, `SIGKILL`, `SIGHUP`) to the command in flight in
   * a session (the default session unless `sessionId`): that run ends `failed`, exit
   * 128 + the signal's number, `failReason: "signal"`. Resolves once acknowledged;
   * `signalled` is `false` when nothing was in flight.
   */
  signal(signal: SignalName, options?: SignalOptions): Promise<SignalResult> {
    return sendSignal(this.#client, this.id, signal, options);
  }

  /**
   * `POST /v1/vms/{id}/sessions`: a new shell session keeping its own cwd and env.
   * `await using session = await vm.createSession()` deletes it when the scope ends.
   */
  createSession(options?: CreateSessionOptions): Promise<CreatedSession> {
    return createSession(this.#client, this.id, options);
  }

  /** `GET /v1/vms/{id}/sessions`. */
  listSessions(options?: ListSessionsOptions): Promise<Page<Session>> {
    return listSessions(this.#client, this.id, options);
  }

  /** `GET /v1/vms/{id}/sessions/{session_id}`. */
  getSession(sessionId: string, options?: CallOptions): Promise<Session> {
    return getSession(this.#client, this.id, sessionId, options);
  }

  /** `DELETE /v1/vms/{id}/sessions/{session_id}`. */
  deleteSession(sessionId: string, options?: CallOptions): Promise<void> {
    return deleteSession(this.#client, this.id, sessionId, options);
  }

  /**
   * `POST /v1/vms/{id}/sessions/{session_id}/pty-ticket`: a ticket (about 5 minutes)
   * that lets a browser open the session's terminal without the API key.
   */
  ptyTicket(sessionId: string, options?: CallOptions): Promise<PtyTicket> {
    return createPtyTicket(this.#client, this.id, sessionId, options);
  }

  /**
   * Opens a session's terminal over a WebSocket: a shell, or `command` alone. Write keys,
   * iterate the output, `resize`, `kill`, `close`; `exited` has the exit code.
   *
   * @example
   * const pty = await vm.pty({ sessionId, cols: 120, rows: 40 });
   * pty.write("ls\r");
   * for await (const chunk of pty) process.stdout.write(chunk);
   */
  pty(options: PtyOptions): Promise<Pty> {
    return openPty(this.#client, this.id, options);
  }

  /**
   * Runs one command with its output live (over a terminal, `command=`): iterate the
   * handle for output as it comes, await `exited` for the exit code. Without `sessionId`
   * it runs in a new session (`cwd`, `env`), deleted when the command ends.
   *
   * @example
   * const build = await vm.spawn("make all");
   * for await (const chunk of build) process.stdout.write(chunk);
   * const { exitCode } = await build.exited;
   */
  spawn(command: string, options?: SpawnOptions): Promise<Pty> {
    return spawn(this.#client, this.id, command, options);
  }

  /**
   * `POST /v1/vms/{id}/resize`. Checked before sending: at least one field, vCPUs 1–64,
   * memory 256–262 144 MiB in steps of 256, disk a positive integer (it may only grow;
   * the service checks that). A resize is accepted while runs are in flight; a service
   * that refuses one answers `vm_busy` (409, not retried).
   */
  resize(size: ResizeSize, options?: CallOptions): Promise<void> {
    return resizeVm(this.#client, this.id, size, options);
  }

  /** `DELETE /v1/vms/{id}`: deletes the VM and its mounts (the filesystems stay). */
  delete(options?: CallOptions): Promise<void> {
    return deleteVm(this.#client, this.id, options);
  }

  /** Reads a file: resolves to its bytes, whether the service inlined it or signed a URL. */
  sync(path: string): Promise<Uint8Array>;
  /** Writes a file (up to the service's limit, 100 MiB by default); see {@link Vm.writeFile}. */
  sync(path: string, data: FileData, options?: WriteFileOptions): Promise<void>;
  async sync(
    path: string,
    ...rest: [data?: FileData, options?: WriteFileOptions]
  ): Promise<unknown> {
    // `sync(path, undefined)` is a write of nothing, most likely a variable not yet set:
    // refused rather than read.
    if (rest.length === 0) return this.readFile(path);
    const [data, options] = rest;
    if (data === undefined || data === null) {
      throw badRequest(
        "sync(path, data): data is undefined; pass the bytes to write, or call sync(path) to read",
      );
    }
    await this.writeFile(path, data, options);
    return undefined;
  }

  /** Reads a file into one `Uint8Array` (inline up to 4 MiB, via a signed URL above). */
  readFile(path: string, options?: ReadFileOptions): Promise<Uint8Array> {
    return readFile(this.#client, this.id, path, options);
  }

  /**
   * Writes a file: strings as UTF-8, bytes, Blobs or streams. Up to 4 MiB in one inline
   * call, above through a signed URL; the SHA-256 is sent so the service can verify it.
   * Resolves once the service reports the file written.
   */
  writeFile(path: string, data: FileData, options?: WriteFileOptions): Promise<void> {
    return writeFile(this.#client, this.id, path, data, options);
  }

  /**
   * Writes many files in as few calls as the limits allow: files up to 4 MiB inline,
   * up to 1000 files or 4 MiB per call; each larger file through its own signed URL.
   * `onProgress` counts the bytes of the whole batch. All paths are checked before
   * anything is sent; a failure names the file (files of earlier calls stay written).
   *
   * @example
   * await vm.writeFiles([{ path: "/app/a.py", data: "print(1)\n" }, { path: "/app/b.bin", data: bytes }]);
   */
  writeFiles(files: readonly FileToWrite[], options?: WriteFilesOptions): Promise<void> {
    return writeFiles(this.#client, this.id, files, options);
  }

  /**
   * Uploads a local file or folder (Node): a file becomes `remotePath`; a folder's
   * contents become `remotePath`'s (created if missing). Sent as one tar archive through
   * `POST /v1/vms/{id}/sync-stream`, which the service extracts; modes (executable bits)
   * are kept, symlinks inside the folder stay symlinks (one pointing outside it is a
   * `bad_request`). `onProgress` counts the archive's bytes.
   *
   * @example
   * await vm.upload("./my-project", "/home/user/project");
   */
  upload(
    localPath: string,
    remotePath: string,
    options?: TreeTransferOptions,
  ): Promise<TreeTransferResult> {
    return upload(this.#client, this.id, localPath, remotePath, options);
  }

  /**
   * Downloads a file or folder of the VM to the local disk (Node): a folder is packed by
   * `tar` in the VM into a temporary file, which is read and then removed; its contents
   * become `localPath`'s. A file into an existing local folder keeps its name. Modes are
   * kept; an entry that would land outside `localPath` refuses the whole archive.
   *
   * @example
   * await vm.download("/home/user/project/dist", "./dist");
   */
  download(
    remotePath: string,
    localPath: string,
    options?: TreeTransferOptions,
  ): Promise<TreeTransferResult> {
    return download(this.#client, this.id, remotePath, localPath, options);
  }

  /**
   * `POST /v1/vms/{id}/syncs`: mounts a filesystem (by id, or by name, created when
   * `createIfMissing`) at `path`, default `/mnt/<name>`; shared live with other VMs.
   * `await using mount = await vm.createSync(…)` unmounts it when the scope ends.
   */
  createSync(options: CreateSyncOptions): Promise<CreatedSync> {
    return createSync(this.#client, this.id, options);
  }

  /** `GET /v1/vms/{id}/syncs`: this VM's mounts. */
  listSyncs(options?: ListSyncsOptions): Promise<Page<Sync>> {
    return listSyncs(this.#client, this.id, options);
  }

  /** `GET /v1/vms/{id}/syncs/{sync_id}`. */
  getSync(syncId: string, options?: CallOptions): Promise<Sync> {
    return getSync(this.#client, this.id, syncId, options);
  }

  /** `DELETE /v1/vms/{id}/syncs/{sync_id}`: unmounts (the filesystem keeps its files). */
  deleteSync(syncId: string, options?: CallOptions): Promise<void> {
    return deleteSync(this.#client, this.id, syncId, options);
  }

  /**
   * `POST /v1/vms/{id}/tunnels`: forwards `port` (1–65535) of the VM to a URL
   * (`tunnel.url`). A port with an open tunnel answers that tunnel. `private` (the
   * default) URLs need your API key; `public` ones do not. `await using tunnel = await
   * vm.createTunnel(port)` closes it when the scope ends.
   */
  createTunnel(port: number, options?: CreateTunnelOptions): Promise<CreatedTunnel> {
    return createTunnel(this.#client, this.id, port, options);
  }

  /** `GET /v1/vms/{id}/tunnels`: this VM's tunnels, newest first; `for await` walks every page. */
  listTunnels(options?: ListTunnelsOptions): Promise<Page<Tunnel>> {
    return listTunnels(this.#client, this.id, options);
  }

  /** `GET /v1/vms/{id}/tunnels/{port}`: the tunnel open on `port`. */
  getTunnel(port: number, options?: CallOptions): Promise<Tunnel> {
    return getTunnel(this.#client, this.id, port, options);
  }

  /** `DELETE /v1/vms/{id}/tunnels/{port}`: closes the tunnel on `port`. */
  deleteTunnel(port: number, options?: CallOptions): Promise<void> {
    return deleteTunnel(this.#client, this.id, port, options);
  }

  /**
   * Deletes the VM when an `await using` scope ends (`await using vm = await ar.fork(…)`);
   * a VM already gone (`not_found`) counts as deleted.
   */
  async [asyncDispose](): Promise<void> {
    await deleteIgnoringNotFound(() => this.delete());
  }

  /** A plain summary for logs and `JSON.stringify`. */
  toJSON(): { id: string; info: VmInfo | ForkedVmInfo | null } {
    return { id: this.id, info: this.#info };
  }
}
