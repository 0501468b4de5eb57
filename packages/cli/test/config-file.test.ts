import { mkdtemp, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  maskSecret,
  readConfigFile,
  resolveSetting,
  validateConfigValue,
  writeConfigFile,
} from "../src/support/config-file";
import { configLocation } from "../src/support/config-location";
import { CliError, UsageError } from "../src/support/errors";

describe("maskSecret", () => {
  it("shows the ark_ prefix and the last four characters only", () => {
    expect(maskSecret("ark_live_0123456789abcdef")).toBe("ark_…cdef");
    expect(maskSecret("sk_0123456789abcdef")).toBe("…cdef");
  });

  it("shows nothing of a short key", () => {
    expect(maskSecret("ark_123")).toBe("…");
    expect(maskSecret("abcdefghijk")).toBe("…");
  });

  it("never contains the key", () => {
    const key = "ark_live_SECRETSECRETSECRET";
    expect(maskSecret(key)).not.toContain("SECRETSECRET");
  });
});

describe("configLocation", () => {
  it("prefers ARKER_CONFIG_DIR (no legacy file), then XDG_CONFIG_HOME, then ~/.config", () => {
    expect(configLocation({ ARKER_CONFIG_DIR: "/cfg", HOME: "/home/u" })).toEqual({
      path: "/cfg/config.json",
      legacyPath: null,
    });
    expect(configLocation({ XDG_CONFIG_HOME: "/xdg", HOME: "/home/u" })).toEqual({
      path: "/xdg/arker/config.json",
      legacyPath: "/home/u/.arker/config.json",
    });
    expect(configLocation({ HOME: "/home/u" }).path).toBe("/home/u/.config/arker/config.json");
    // The XDG spec: a relative XDG_CONFIG_HOME is invalid and ignored.
    expect(configLocation({ XDG_CONFIG_HOME: "rel", HOME: "/home/u" }).path).toBe(
      "/home/u/.config/arker/config.json",
    );
  });
});

describe("resolveSetting", () => {
  const env = { ARKER_REGION: "eu-west-1" };
  const file = { region: "ap-south-1", provider: "aws-burst" };
  it("prefers flag, then env, then file", () => {
    expect(resolveSetting("region", { region: "us-east-1" }, env, file)).toEqual({
      value: "us-east-1",
      source: "flag",
    });
    expect(resolveSetting("region", {}, env, file)).toEqual({ value: "eu-west-1", source: "env" });
    expect(resolveSetting("region", {}, {}, file)).toEqual({ value: "ap-south-1", source: "file" });
    expect(resolveSetting("baseUrl", {}, env, file)).toEqual({ value: undefined, source: "unset" });
  });

  it("treats empty values as unset", () => {
    expect(resolveSetting("region", { region: " " }, { ARKER_REGION: "" }, file).source).toBe(
      "file",
    );
  });
});

describe("the config file", () => {
  it("is written with mode 0600 and read back", async () => {
    const dir = await mkdtemp(join(tmpdir(), "arker-cli-config-"));
    const path = join(dir, "nested", "config.json");
    await writeConfigFile(path, { region: "us-west-2", apiKey: "ark_live_abcdefghijkl" });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, "nested"))).mode & 0o777).toBe(0o700);
    expect(await readConfigFile(path)).toEqual({
      region: "us-west-2",
      apiKey: "ark_live_abcdefghijkl",
    });
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual({
      apiKey: "ark_live_abcdefghijkl",
      region: "us-west-2",
    });
  });

  it("is empty when missing, and an error when not a JSON object", async () => {
    const dir = await mkdtemp(join(tmpdir(), "arker-cli-config-"));
    expect(await readConfigFile(join(dir, "missing.json"))).toEqual({});
    await writeFile(join(dir, "bad.json"), "{nope");
    await expect(readConfigFile(join(dir, "bad.json"))).rejects.toBeInstanceOf(CliError);
    await writeFile(join(dir, "array.json"), "[1]");
    await expect(readConfigFile(join(dir, "array.json"))).rejects.toThrow(/JSON object/);
    await writeFile(join(dir, "odd.json"), '{"region": 3, "other": "x", "provider": "aws"}');
    expect(await readConfigFile(join(dir, "odd.json"))).toEqual({ provider: "aws" });
  });
});

describe("validateConfigValue", () => {
  it("checks base URLs and providers", () => {
    expect(validateConfigValue("baseUrl", " http://127.0.0.1:8787 ")).toBe("http://127.0.0.1:8787");
    expect(() => validateConfigValue("baseUrl", "localhost")).toThrow(UsageError);
    expect(() => validateConfigValue("baseUrl", "ftp://x")).toThrow(UsageError);
    expect(() => validateConfigValue("provider", "gcp")).toThrow(UsageError);
    expect(() => validateConfigValue("region", "  ")).toThrow(UsageError);
  });

  it("never echoes a rejected key", () => {
    expect(() => validateConfigValue("apiKey", "ark_live_secret value")).toThrow(
      "apiKey must not contain whitespace",
    );
  });
});
