import type { ArkerClient, CallOptions, Page } from "@arker-ai/core";
import {
  acknowledgement,
  badRequest,
  objectDecoder,
  optionalString,
  optionKeys,
  rejectUnknownCallOptions,
  rejectUnknownOptions,
  requireId,
  validateLimit,
} from "@arker-ai/core/internal";
import type { Filesystem } from "@arker-ai/core/wire";

/** Options of `createFilesystem`. */
export interface CreateFilesystemOptions extends CallOptions {
  /** The filesystem's name. */
  name: string;
}

/** Options of `listFilesystems`. */
export interface ListFilesystemsOptions extends CallOptions {
  /** Only filesystems whose name starts with this. */
  namePrefix?: string;
  /** Page size, 1–1000. Default 50 (the service's). */
  limit?: number;
  /** The `nextCursor` of a previous page. */
  cursor?: string;
}

/** Decodes a filesystem answer. */
const decodeFilesystem = objectDecoder<Filesystem>("filesystem", {
  filesystem_id: "string",
  name: "string",
  owner_org_id: "string",
  created_at: "string",
  size_bytes: "number",
});

const decodeDeleted = acknowledgement("filesystem delete");

const CREATE_KEYS = optionKeys<CreateFilesystemOptions>({
  name: true,
  signal: true,
  timeoutMs: true,
  idempotencyKey: true,
});
const LIST_KEYS = optionKeys<ListFilesystemsOptions>({
  namePrefix: true,
  limit: true,
  cursor: true,
  signal: true,
  timeoutMs: true,
  idempotencyKey: true,
});

/**
 * The filesystems resource client: standalone persistent volumes that VMs mount with
 * `vm.createSync({ filesystemId, path })`. A filesystem outlives the VMs that mount it.
 *
 * @example
 * const filesystems = new FilesystemsClient(new ArkerClient({ region: "us-west-2" }));
 * const fs = await filesystems.createFilesystem({ name: "datasets" });
 */
export class FilesystemsClient {
  /** The transport this client sends through. */
  readonly client: ArkerClient;

  /** Wraps a core client; sends nothing. */
  constructor(client: ArkerClient) {
    this.client = client;
  }

  /** `POST /v1/filesystems`: a new, empty filesystem. */
  async createFilesystem(options: CreateFilesystemOptions): Promise<Filesystem> {
    if (typeof options !== "object" || options === null) {
      throw badRequest("createFilesystem needs { name }");
    }
    rejectUnknownOptions(options, CREATE_KEYS, "createFilesystem");
    const body = { name: requireId(options.name, "name") };
    const { data, requestId } = await this.client.call("createFilesystem", { body }, options);
    return decodeFilesystem(data, requestId);
  }

  /** `GET /v1/filesystems`: newest first; the page is async-iterable across pages. */
  async listFilesystems(options: ListFilesystemsOptions = {}): Promise<Page<Filesystem>> {
    rejectUnknownOptions(options, LIST_KEYS, "listFilesystems");
    const query = {
      name_prefix: optionalString(options.namePrefix, "namePrefix"),
      limit: validateLimit(options.limit),
      cursor: optionalString(options.cursor, "cursor"),
    };
    return this.client.page("listFilesystems", { query }, decodeFilesystem, options);
  }

  /** `GET /v1/filesystems/{id}`. */
  async getFilesystem(filesystemId: string, options?: CallOptions): Promise<Filesystem> {
    rejectUnknownCallOptions(options, "getFilesystem");
    const params = { filesystem_id: requireId(filesystemId, "filesystemId") };
    const { data, requestId } = await this.client.call("getFilesystem", { params }, options);
    return decodeFilesystem(data, requestId);
  }

  /** `DELETE /v1/filesystems/{id}`. A filesystem still mounted somewhere is a `conflict`. */
  async deleteFilesystem(filesystemId: string, options?: CallOptions): Promise<void> {
    rejectUnknownCallOptions(options, "deleteFilesystem");
    const params = { filesystem_id: requireId(filesystemId, "filesystemId") };
    const { data, requestId } = await this.client.call("deleteFilesystem", { params }, options);
    decodeDeleted(data, requestId);
  }
}
