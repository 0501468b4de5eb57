import {
  type ArkerClient,
  ArkerError,
  apiPath,
  badRequest,
  type CallOptions,
  callControls,
  isRecord,
  optionalString,
  type Page,
  requireId,
  validateLimit,
} from "@arker-ai/core";
import type { CreateFilesystemRequest, Filesystem } from "@arker-ai/core/wire";

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
    const body: CreateFilesystemRequest = { name: requireId(options.name, "name") };
    const { data, requestId } = await this.client.request<unknown>({
      method: "POST",
      path: "/v1/filesystems",
      body,
      ...callControls(options),
    });
    return expectFilesystem(data, requestId);
  }

  /** `GET /v1/filesystems`: newest first; the page is async-iterable across pages. */
  async listFilesystems(options: ListFilesystemsOptions = {}): Promise<Page<Filesystem>> {
    return this.client.list<Filesystem>(
      {
        method: "GET",
        path: "/v1/filesystems",
        query: {
          name_prefix: optionalString(options.namePrefix, "namePrefix"),
          limit: validateLimit(options.limit),
          cursor: optionalString(options.cursor, "cursor"),
        },
        ...callControls(options),
      },
      "filesystems",
    );
  }

  /** `GET /v1/filesystems/{id}`. */
  async getFilesystem(filesystemId: string, options?: CallOptions): Promise<Filesystem> {
    requireId(filesystemId, "filesystemId");
    const { data, requestId } = await this.client.request<unknown>({
      method: "GET",
      path: apiPath`/v1/filesystems/${filesystemId}`,
      ...callControls(options),
    });
    return expectFilesystem(data, requestId);
  }

  /** `DELETE /v1/filesystems/{id}`. A filesystem still mounted somewhere is a `conflict`. */
  async deleteFilesystem(filesystemId: string, options?: CallOptions): Promise<void> {
    requireId(filesystemId, "filesystemId");
    await this.client.request<unknown>({
      method: "DELETE",
      path: apiPath`/v1/filesystems/${filesystemId}`,
      ...callControls(options),
    });
  }
}

function expectFilesystem(data: unknown, requestId: string | null): Filesystem {
  if (!isRecord(data) || typeof data.filesystem_id !== "string") {
    throw new ArkerError("internal", "malformed filesystem response: no filesystem_id", 200, {
      requestId,
    });
  }
  return data as unknown as Filesystem;
}
