import { describe, expect, it } from "vitest";
import { OrgStore } from "../src/stores/org-store.js";
import { IdFactory } from "../src/support/ids.js";
import { SeededRandom } from "../src/support/random.js";

function newStore(): OrgStore {
  return new OrgStore(new IdFactory(new SeededRandom(1, "ids"), () => 0));
}

const bearer = (key: string) => `Bearer ${key}`;

describe("OrgStore.addOrg", () => {
  it("names an unnamed org org_ plus a lowercase ULID", () => {
    expect(newStore().addOrg().orgId).toMatch(/^org_[0-9a-z]{26}$/);
  });

  it("keeps a given name as the org id, up to 128 characters", () => {
    const store = newStore();
    expect(store.addOrg("acme").orgId).toBe("acme");
    const long = "a".repeat(128);
    expect(store.authenticate(bearer(store.addOrg(long).apiKey))).toBe(long);
  });

  it.each([
    ["empty", ""],
    ["129 characters", "a".repeat(129)],
    ["not a string", 42 as unknown as string],
  ])("rejects a name that is %s", (_label, name) => {
    expect(() => newStore().addOrg(name)).toThrow(
      new TypeError("org name must be a non-empty string of at most 128 characters"),
    );
  });
});

describe("OrgStore.authenticate", () => {
  it("answers each header's own org when requests alternate between keys", () => {
    const store = newStore();
    const a = store.addOrg("org-a");
    const b = store.addOrg("org-b");
    expect(store.authenticate(bearer(a.apiKey))).toBe("org-a");
    expect(store.authenticate(bearer(b.apiKey))).toBe("org-b");
    expect(store.authenticate(bearer(b.apiKey))).toBe("org-b");
    expect(store.authenticate(bearer(a.apiKey))).toBe("org-a");
  });

  it("rejects a missing header after a valid one as missing, not as the last key", () => {
    const store = newStore();
    const a = store.addOrg("org-a");
    expect(store.authenticate(bearer(a.apiKey))).toBe("org-a");
    expect(() => store.authenticate(undefined)).toThrow("missing or malformed API key");
    expect(() => store.authenticate("Basic xyz")).toThrow("missing or malformed API key");
  });

  it("rejects a missing header on a fresh store as missing", () => {
    expect(() => newStore().authenticate(undefined)).toThrow("missing or malformed API key");
  });

  it("rejects an unknown or revoked key as invalid", () => {
    const store = newStore();
    const a = store.addOrg("org-a");
    expect(() => store.authenticate(bearer("ak_unknown"))).toThrow("invalid API key");
    expect(store.revokeKey(a.apiKey)).toBe(true);
    expect(() => store.authenticate(bearer(a.apiKey))).toThrow("invalid API key");
  });

  it("forgets every key on clear, even the header it read last", () => {
    const store = newStore();
    const a = store.addOrg("org-a");
    expect(store.authenticate(bearer(a.apiKey))).toBe("org-a");
    store.clear();
    expect(() => store.authenticate(bearer(a.apiKey))).toThrow("invalid API key");
  });
});
