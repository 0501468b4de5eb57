import { randomToken } from "../support/secrets.js";
import type { BlobGrant, UploadRecord, VmRecord } from "./records.js";

/**
 * What file sync keeps between requests: uploads assembling by `upload_id` (per VM)
 * and the signed-URL grants it has handed out.
 *
 * @module
 */

/** The uploads and signed-URL grants of one fake. */
export class FileStore {
  readonly #uploads = new Map<string, UploadRecord>();
  readonly #grants = new Map<string, BlobGrant>();

  /** The VM's upload with this id, if any. */
  upload(vmId: string, uploadId: string): UploadRecord | undefined {
    return this.#uploads.get(`${vmId}/${uploadId}`);
  }

  /** Keeps a new upload of the VM. */
  addUpload(vm: VmRecord, upload: UploadRecord): void {
    this.#uploads.set(`${vm.id}/${upload.uploadId}`, upload);
  }

  /** Signs a URL: a fresh token from the OS's random source (never the seed) for one object and one method, until `expiresAt`. */
  grant(init: Omit<BlobGrant, "token">): BlobGrant {
    const grant: BlobGrant = { token: randomToken(32), ...init };
    this.#grants.set(grant.token, grant);
    return grant;
  }

  /** The grant of a signed URL's token, if any. */
  grantOf(token: string): BlobGrant | undefined {
    return this.#grants.get(token);
  }

  /** The tokens of every signed URL handed out since the last reset, oldest first. */
  tokens(): string[] {
    return [...this.#grants.keys()];
  }

  /** Drops the unfinished uploads of a deleted VM. */
  removeVm(vm: VmRecord): void {
    const prefix = `${vm.id}/`;
    for (const [key, upload] of this.#uploads) {
      if (key.startsWith(prefix) && !upload.written) this.#uploads.delete(key);
    }
  }

  /** Forgets every upload and grant. */
  clear(): void {
    this.#uploads.clear();
    this.#grants.clear();
  }
}
