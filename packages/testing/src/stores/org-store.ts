import { ApiError } from "../support/errors.js";
import type { IdFactory } from "../support/ids.js";
import { randomApiKey } from "../support/secrets.js";
import type { OrgRecord } from "./records.js";

/**
 * Orgs and their API keys: who a request's `authorization` header speaks for.
 *
 * @module
 */

interface KeyRecord {
  orgId: string;
  revoked: boolean;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The orgs and API keys of one fake. */
export class OrgStore {
  readonly #ids: IdFactory;
  readonly #orgs = new Map<string, OrgRecord>();
  readonly #keys = new Map<string, KeyRecord>();
  /** The last header read and its key: a client sends the same header on every request. */
  #lastHeader: string | undefined;
  #lastKey = "";

  /** Creates an empty store drawing org ids from `ids` (keys come from the OS's random source). */
  constructor(ids: IdFactory) {
    this.#ids = ids;
  }

  /** Adds an org by id unless it exists. */
  ensureOrg(orgId: string): void {
    if (!this.#orgs.has(orgId)) this.#orgs.set(orgId, { orgId, name: orgId });
  }

  /** Gives `orgId` the key `apiKey` (the org must exist). */
  addKey(orgId: string, apiKey: string): void {
    this.#keys.set(apiKey, { orgId, revoked: false });
  }

  /** Adds an org (or a key to an existing org) and returns a fresh key for it. */
  addOrg(name?: string): { orgId: string; apiKey: string } {
    const orgId = name ?? `org_${this.#ids.ulid().toLowerCase()}`;
    if (typeof orgId !== "string" || orgId === "" || orgId.length > 128) {
      throw new TypeError("org name must be a non-empty string of at most 128 characters");
    }
    this.ensureOrg(orgId);
    const apiKey = randomApiKey();
    this.addKey(orgId, apiKey);
    return { orgId, apiKey };
  }

  /** Revokes a key; `true` if it existed. */
  revokeKey(apiKey: string): boolean {
    const record = this.#keys.get(apiKey);
    if (record === undefined) return false;
    record.revoked = true;
    return true;
  }

  /** The org of an `authorization` header; 401 for a missing, unknown or revoked key. */
  authenticate(header: string | undefined): string {
    let key: string;
    if (header !== undefined && header === this.#lastHeader) {
      key = this.#lastKey;
    } else {
      const match = header === undefined ? null : BEARER.exec(header);
      if (match === null) throw new ApiError("unauthorized", "missing or malformed API key");
      key = match[1]!;
      this.#lastHeader = header;
      this.#lastKey = key;
    }
    const record = this.#keys.get(key);
    if (record === undefined || record.revoked)
      throw new ApiError("unauthorized", "invalid API key");
    return record.orgId;
  }

  /** Forgets every org and key. */
  clear(): void {
    this.#orgs.clear();
    this.#keys.clear();
  }
}
