/**
 * `@arker-ai/filesystems`: the filesystems client of the Arker SDK — persistent volumes
 * that VMs mount at a path and share live.
 *
 * @example
 * import { ArkerClient } from "@arker-ai/core";
 * import { FilesystemsClient } from "@arker-ai/filesystems";
 * const filesystems = new FilesystemsClient(new ArkerClient({ region: "us-west-2" }));
 * const fs = await filesystems.createFilesystem({ name: "datasets" });
 *
 * @module
 */

export type { CallOptions } from "@arker-ai/core";
export type { Filesystem } from "@arker-ai/core/wire";
export {
  type CreateFilesystemOptions,
  FilesystemsClient,
  type ListFilesystemsOptions,
} from "./filesystems-client";
