import type { ArkerClient, ArkerClientOptions, CallOptions, Page } from "@arker-ai/core";
import type { Filesystem } from "@arker-ai/core/wire";
import type {
  CreateFilesystemOptions,
  FilesystemsClient,
  ListFilesystemsOptions,
} from "@arker-ai/filesystems";
import type { ForkOptions, ForkSource, ListVmsOptions, Vm, VmClient, VmInfo } from "@arker-ai/vm";

/**
 * The SDK as the commands use it: one transport shared by a VM client and a filesystems
 * client, like the umbrella's `Arker`. Built here rather than imported from
 * `@arker-ai/sdk`, because the umbrella ships this CLI as its `arker` bin: the CLI
 * depends on core, vm and filesystems only, so there is no dependency cycle. The three
 * are imported when a command first needs them ({@link createSdkClient}), so `--help`,
 * `config` and `dev` never load them.
 *
 * @module
 */

/**
 * Loads the SDK packages and builds a client; throws `bad_request` without a key or
 * region. Sends nothing.
 */
export async function createSdkClient(options: ArkerClientOptions): Promise<SdkClient> {
  const [{ ArkerClient }, { VmClient }, { FilesystemsClient }] = await Promise.all([
    import("@arker-ai/core"),
    import("@arker-ai/vm"),
    import("@arker-ai/filesystems"),
  ]);
  const client = new ArkerClient(options);
  return new SdkClient(client, new VmClient(client), new FilesystemsClient(client));
}

/** The SDK client of a CLI invocation. */
export class SdkClient {
  /** The shared transport. */
  readonly client: ArkerClient;
  /** Forks, lists and VM handles. */
  readonly vms: VmClient;
  /** Persistent filesystems. */
  readonly filesystems: FilesystemsClient;

  /** Wraps a transport and the two clients built on it (see {@link createSdkClient}). */
  constructor(client: ArkerClient, vms: VmClient, filesystems: FilesystemsClient) {
    this.client = client;
    this.vms = vms;
    this.filesystems = filesystems;
  }

  /** Forks a VM (a golden name, a VM id or name, or `{ sourceVmName, … }`). */
  fork(source: ForkSource, options?: ForkOptions): Promise<Vm> {
    return this.vms.fork(source, options);
  }

  /** Lists VMs, newest first. */
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

  /** Creates a filesystem. */
  createFilesystem(options: CreateFilesystemOptions): Promise<Filesystem> {
    return this.filesystems.createFilesystem(options);
  }

  /** Lists filesystems, newest first. */
  listFilesystems(options?: ListFilesystemsOptions): Promise<Page<Filesystem>> {
    return this.filesystems.listFilesystems(options);
  }

  /** Describes one filesystem. */
  getFilesystem(filesystemId: string, options?: CallOptions): Promise<Filesystem> {
    return this.filesystems.getFilesystem(filesystemId, options);
  }

  /** Deletes a filesystem. */
  deleteFilesystem(filesystemId: string, options?: CallOptions): Promise<void> {
    return this.filesystems.deleteFilesystem(filesystemId, options);
  }

  /** Closes the connection pool. */
  close(): Promise<void> {
    return this.client.close();
  }
}
