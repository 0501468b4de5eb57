import { describe, expect, it } from "vitest";
import {
  HostPolicy,
  hostnameOfHeader,
  interfaceAddresses,
  isLoopbackHost,
  isWildcardHost,
} from "../src/http/host-policy.js";

// The DNS-rebinding guard of the listening door, rule by rule (exposure.test.ts drives it
// over HTTP): a name that passes here is served, any other is a 403.
describe("bind addresses", () => {
  it("tells loopback from other hosts, written in any case, bracketed or with a final dot", () => {
    for (const host of [
      "localhost",
      "LocalHost.",
      "::1",
      "[::1]",
      "127.0.0.1",
      " 127.9.8.7 ",
      "127.10.200.255",
    ]) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of [
      "0.0.0.0",
      "128.0.0.1",
      "127.0.0.1.nip.io",
      "x127.0.0.1",
      "127.0.0",
      "::",
      "x::1]",
    ]) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });

  it("tells wildcards (every interface) from one address", () => {
    for (const host of ["0.0.0.0", "::", "[::]", "", " "])
      expect(isWildcardHost(host), host).toBe(true);
    for (const host of ["127.0.0.1", "::1", "localhost", "0.0.0.1", "[::1", "[::"]) {
      expect(isWildcardHost(host), host).toBe(false);
    }
  });
});

describe("hostnameOfHeader", () => {
  it("takes the name of name[:port] and [v6][:port], lower case, without a final dot", () => {
    expect(hostnameOfHeader("Arker.TEST:8080")).toBe("arker.test");
    expect(hostnameOfHeader(" localhost ")).toBe("localhost");
    expect(hostnameOfHeader("localhost.:1")).toBe("localhost");
    expect(hostnameOfHeader("[::1]:65535")).toBe("::1");
    expect(hostnameOfHeader("[::1]")).toBe("::1");
    expect(hostnameOfHeader("my_host-1.test")).toBe("my_host-1.test");
  });

  it("gives undefined for a malformed value", () => {
    for (const value of [
      "",
      ":80",
      "[::1",
      "[::1]x",
      "[::1]x:80",
      "[::1]:",
      "[]:80",
      "localhost:",
      "localhost:123456",
      "localhost:8a",
      "localhost:80:80x",
      "evil host",
      "évil.test",
      "a/b",
    ]) {
      expect(hostnameOfHeader(value), value).toBeUndefined();
    }
  });
});

describe("HostPolicy", () => {
  it("serves loopback names and the extra names, exactly, in-process", () => {
    const policy = new HostPolicy(undefined, ["Arker.Test."]);
    for (const name of ["localhost", "127.0.0.1", "::1", "arker.test"]) {
      expect(policy.allowsHostname(name), name).toBe(true);
    }
    for (const name of ["127.0.0.2", "arker.test.evil", "attacker.example", "0.0.0.0", undefined]) {
      expect(policy.allowsHostname(name), String(name)).toBe(false);
    }
  });

  it("serves the bound host, and every interface address when bound to a wildcard", () => {
    expect(new HostPolicy("10.1.2.3", []).allowsHostname("10.1.2.3")).toBe(true);
    expect(new HostPolicy("[FE80::1]", []).allowsHostname("fe80::1")).toBe(true);
    const addresses = interfaceAddresses();
    expect(addresses.length).toBeGreaterThan(0);
    expect(addresses).toContain("127.0.0.1");
    const everywhere = new HostPolicy("0.0.0.0", []);
    for (const address of addresses) expect(everywhere.allowsHostname(address), address).toBe(true);
    expect(everywhere.allowsHostname("0.0.0.0")).toBe(false);
    expect(new HostPolicy("10.1.2.3", []).allowsHostname("10.1.2.4")).toBe(false);
  });

  it("serves an http(s) Origin naming a served host, and no other Origin", () => {
    const policy = new HostPolicy(undefined, ["arker.test"]);
    for (const origin of [
      "http://localhost:1234",
      "https://127.0.0.1",
      "http://[::1]:9",
      "http://ARKER.test.",
    ]) {
      expect(policy.allowsOrigin(origin), origin).toBe(true);
    }
    for (const origin of [
      "null",
      "",
      "http://attacker.example",
      "ftp://localhost",
      "file://localhost/x",
      "ws://localhost:1",
      "http://localhost.attacker.example",
    ]) {
      expect(policy.allowsOrigin(origin), origin).toBe(false);
    }
  });
});
