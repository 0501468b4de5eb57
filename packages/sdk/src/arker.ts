import { ArkerClient, type ArkerClientOptions, type Page } from "@arker-ai/core";
import type { Filesystem } from "@arker-ai/core/wire";
import {
  type CallOptions,
  type CreateFilesystemOptions,
  FilesystemsClient,
  type ListFilesystemsOptions,
} from "@arker-ai/filesystems";
import {
  type ForkOptions,
  type ForkSource,
  type ListVmsOptions,
  type Vm,
  VmClient,
  type VmInfo,
} from "@arker-ai/vm";

/**
 * Options of {@link Arker}: the connection (`apiKey`, `region`, `provider`, `baseUrl`,
 * `controlBaseUrl`, each falling back to its `ARKER_*` variable), `retry`, `timeoutMs`,
 * `dispatcher`, `maxConnections`, `logger` and `logLevel`.
 */
export type ArkerOptions = ArkerClientOptions;

/**
 * The Arker SDK in one object: fork and list VMs, get handles, manage filesystems. It
 * owns one {@link ArkerClient} (connection pool, retries, idempotency keys) that its
 * {@link VmClient} and {@link FilesystemsClient} share.
 *
 * @example
 * const ar = new Arker({ region: "us-west-2" });
 * const vm = await ar.fork("ubuntu-full");
 * const run = await vm.run("python3 -c 'print(2 + 2)'");
 * if (run.type === "completed") console.log(new TextDecoder().decode(run.stdout));
 * await vm.delete();
 */
export class Arker {
  /** The shared transport. */
  readonly client: ArkerClient;
  /** The VM client (fork, list, get, handles). */
  readonly vms: VmClient;
  /** The filesystems client. */
  readonly filesystems: FilesystemsClient;

  /**
   * Resolves the configuration; throws `bad_request` when the API key or the region
   * (or `baseUrl`) is missing. Sends nothing.
   */
  constructor(options: ArkerOptions = {}) {
    this.client = new ArkerClient(options);
    this.vms = new VmClient(this.client);
    this.filesystems = new FilesystemsClient(this.client);
  }

  /**
   * Forks a VM in constant time: from a public golden name (`"ubuntu-full"`, org
   * `ArkerHQ` inferred), a VM handle, a VM id or name, or `{ sourceVmName | sourceVmId,
   * sourceOrgId, name, durable, … }`.
   */
  fork(source: ForkSource, options?: ForkOptions): Promise<Vm> {
    return this.vms.fork(source, options);
  }

  /** Lists VMs across regions (newest first); the page is async-iterable across pages. */
  listVms(options?: ListVmsOptions): Promise<Page<VmInfo>> {
    return this.vms.listVms(options);
  }

  /** Describes one VM. */
  getVm(vmId: string, options?: CallOptions): Promise<VmInfo> {
    return this.vms.getVm(vmId, options);
  }

  /** A handle on a VM by id; sends nothing. */
  vm(vmId: string): Vm {
    return this.vms.vm(vmId);
  }

  /** Creates a persistent filesystem to mount into VMs with `vm.createSync`. */
  createFilesystem(options: CreateFilesystemOptions): Promise<Filesystem> {
    return this.filesystems.createFilesystem(options);
  }

  /** Lists filesystems (newest first); the page is async-iterable across pages. */
  listFilesystems(options?: ListFilesystemsOptions): Promise<Page<Filesystem>> {
    return this.filesystems.listFilesystems(options);
  }

  /** Describes one filesystem. */
  getFilesystem(filesystemId: string, options?: CallOptions): Promise<Filesystem> {
    return this.filesystems.getFilesystem(filesystemId, options);
  }

  /** Deletes a filesystem; one still mounted is a `conflict`. */
  deleteFilesystem(filesystemId: string, options?: CallOptions): Promise<void> {
    return this.filesystems.deleteFilesystem(filesystemId, options);
  }

  /** Closes the connection pool (not a `dispatcher` you passed in). */
  close(): Promise<void> {
    return this.client.close();
  }

  /** `await using ar = new Arker(…)` closes the pool at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
