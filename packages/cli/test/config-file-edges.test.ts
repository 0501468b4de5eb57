import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
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
import { configLocation, fileExists, removeLegacyFile } from "../src/support/config-location";
import { CliError, UsageError } from "../src/support/errors";

const scratch = () => mkdtemp(join(tmpdir(), "arker-cli-config-edges-"));

/** The CliError `promise` rejects with (fails the test when it is something else). */
async function cliErrorOf(promise: Promise<unknown>): Promise<CliError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof CliError)) throw new Error(`expected a CliError, got ${String(error)}`);
  return error;
}

describe("reading the config file", () => {
  it("a file that cannot be read (a folder) is config_unreadable, naming the path", async () => {
    const dir = await scratch();
    const error = await cliErrorOf(readConfigFile(dir));
    expect(error.code).toBe("config_unreadable");
    expect(error.message).toMatch(new RegExp(`^cannot read ${dir}: EISDIR`));
  });

  it.each(["null", "3", '"text"', "[]"])(
    "%s is config_invalid: must hold a JSON object",
    async (json) => {
      const dir = await scratch();
      const path = join(dir, "config.json");
      await writeFile(path, json);
      const error = await cliErrorOf(readConfigFile(path));
      expect(error.code).toBe("config_invalid");
      expect(error.message).toBe(`${path} must hold a JSON object`);
    },
  );

  it("blank values are left out", async () => {
    const dir = await scratch();
    const path = join(dir, "config.json");
    await writeFile(path, '{"region": "  ", "provider": "aws"}');
    expect(await readConfigFile(path)).toEqual({ provider: "aws" });
  });
});

describe("writing the config file", () => {
  it("a folder that cannot be made is config_unwritable (exit 1), naming the path", async () => {
    const dir = await scratch();
    await writeFile(join(dir, "file"), "");
    const path = join(dir, "file", "config.json");
    const error = await cliErrorOf(writeConfigFile(path, { region: "us-west-2" }));
    expect(error.code).toBe("config_unwritable");
    expect(error.exitCode).toBe(1);
    expect(error.message).toMatch(new RegExp(`^cannot write ${path}: EEXIST`));
  });

  it("a failed rename leaves no temporary file behind", async () => {
    const dir = await scratch();
    const path = join(dir, "config.json");
    await mkdir(path);
    const error = await cliErrorOf(writeConfigFile(path, { region: "us-west-2" }));
    expect(error.code).toBe("config_unwritable");
    expect(await readdir(dir)).toEqual(["config.json"]);
  });

  it("holds the known keys in their fixed order", async () => {
    const dir = await scratch();
    const path = join(dir, "config.json");
    await writeConfigFile(path, { baseUrl: "http://x", region: "r" });
    expect(await readFile(path, "utf8")).toBe('{\n  "region": "r",\n  "baseUrl": "http://x"\n}\n');
  });
});

describe("settings and values", () => {
  it("the provider falls back to ARKER_PROVIDER", () => {
    expect(resolveSetting("provider", {}, { ARKER_PROVIDER: "aws" }, {})).toEqual({
      value: "aws",
      source: "env",
    });
  });

  it("a key of exactly 12 characters shows its last four", () => {
    expect(maskSecret("abcdefghijkl")).toBe("…ijkl");
  });

  it("rejections say what is wrong and what was given", () => {
    expect(() => validateConfigValue("region", " ")).toThrow(
      new UsageError("region must not be empty"),
    );
    expect(() => validateConfigValue("baseUrl", "localhost")).toThrow(
      'baseUrl must be an absolute http(s) URL; got "localhost"',
    );
    expect(() => validateConfigValue("baseUrl", "ftp://x")).toThrow(
      'baseUrl must be an absolute http(s) URL; got "ftp://x"',
    );
    expect(() => validateConfigValue("provider", "gcp")).toThrow(
      'provider must be aws or aws-burst; got "gcp"',
    );
  });

  it("accepts https base URLs, both providers, and whitespace in values other than the key", () => {
    expect(validateConfigValue("baseUrl", "https://api.example")).toBe("https://api.example");
    expect(validateConfigValue("provider", " aws ")).toBe("aws");
    expect(validateConfigValue("provider", "aws-burst")).toBe("aws-burst");
    expect(validateConfigValue("region", "us west")).toBe("us west");
  });
});

describe("the config location", () => {
  it("trims the folders it is given", () => {
    expect(configLocation({ ARKER_CONFIG_DIR: " /cfg " }).path).toBe("/cfg/config.json");
    expect(configLocation({ HOME: " /home/u ", XDG_CONFIG_HOME: " /xdg " })).toEqual({
      path: "/xdg/arker/config.json",
      legacyPath: "/home/u/.arker/config.json",
    });
  });

  it("a path that fails other than by not existing counts as existing (so reading it fails)", async () => {
    const dir = await scratch();
    await writeFile(join(dir, "file"), "");
    expect(await fileExists(join(dir, "file", "config.json"))).toBe(true);
    expect(await fileExists(join(dir, "missing.json"))).toBe(false);
  });

  it("removing the legacy file keeps a folder that holds other files", async () => {
    const dir = await scratch();
    await writeFile(join(dir, "config.json"), "{}");
    await writeFile(join(dir, "other"), "");
    await removeLegacyFile(join(dir, "config.json"));
    expect(await readdir(dir)).toEqual(["other"]);
  });
});
