import { chmod, mkdir, readdir, readFile, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createFakeArker } from "@arker-ai/testing";
import { describe, expect, it } from "vitest";
import { writeConfigFile } from "../src/support/config-file";
import { scrubSecrets } from "../src/support/scrub";
import { cliFor, runArker, temporaryHome } from "./harness";

// Issue 13 items 8 and 9: the CLI's handling of the API key and of the config file.
const KEY = "ark_live_0123456789abcdefSECRET";
const STORE_KEY_FORM = "arker login";

describe("scrubSecrets", () => {
  it("removes the given secrets and anything shaped like a key, nothing else", () => {
    expect(scrubSecrets(`a ${KEY} b`, [])).toBe("a [REDACTED] b");
    expect(scrubSecrets("key=ark_test_snebz2h6zdvb2as6", [])).toBe("key=[REDACTED]");
    expect(scrubSecrets("token s3cr3t-token", ["s3cr3t-token"])).toBe("token [REDACTED]");
    // Masked keys, placeholders and ids stay readable.
    for (const text of [
      "ark_…CRET",
      "ark_live_...",
      "vm_01JGFJJZ00DD0VX313QTB4VYQ6",
      "dark_room",
    ]) {
      expect(scrubSecrets(text, [])).toBe(text);
    }
  });

  it("an empty secret (an unset variable) removes nothing", () => {
    expect(scrubSecrets("abc", [""])).toBe("abc");
  });
});

describe("the API key never shows", () => {
  it("a mistyped flag with the key: not echoed on stderr, nor in the --json error", async () => {
    const home = await temporaryHome();
    const human = await runArker([`--apikey=${KEY}`, "ls"], {
      env: { HOME: home },
      secrets: [KEY],
    });
    expect(human.code).toBe(2);
    expect(human.stderr).toMatch(/^arker: usage: unknown option '--apikey=\[REDACTED\]'/);
    const json = await runArker([`--apikey=${KEY}`, "ls", "--json"], {
      env: { HOME: home },
      secrets: [KEY],
    });
    expect(json.code).toBe(2);
    expect(json.json()).toEqual({
      error: {
        code: "usage",
        message: "unknown option '--apikey=[REDACTED]'",
        status: null,
        requestId: null,
      },
    });
  });

  it("a server message carrying a key-shaped string is scrubbed on stderr and in --json", async () => {
    const fake = await createFakeArker({ listen: true, python: false });
    try {
      const vm = "vm_00000000000000000000000099";
      fake.faults.add({
        path: `/v1/vms/${vm}`,
        effect: { type: "respond", status: 409, code: "conflict", message: `held by ${KEY}` },
      });
      const cli = cliFor({ url: fake.url!, apiKey: fake.apiKey }, await temporaryHome());
      const human = await cli(["rm", "--yes", vm], { secrets: [KEY] });
      expect(human.code).toBe(1);
      expect(human.stderr).toMatch(/^arker: conflict: held by \[REDACTED\]/m);
      const json = await cli(["rm", "--yes", vm, "--json"], { secrets: [KEY] });
      expect(json.json()).toMatchObject({
        failed: [{ id: vm, error: { code: "conflict", message: "held by [REDACTED]" } }],
      });
      const get = await cli(["get", vm, "--json"], { secrets: [KEY] });
      expect(get.json()).toMatchObject({ error: { message: "held by [REDACTED]" } });
    } finally {
      await fake.close();
    }
  });

  // Core redacts only the key it uses; the env key that --api-key overrode is the CLI's to
  // scrub, and a key with no ark_ shape is caught by the list of known secrets alone.
  it("a server echoing the env key that --api-key overrode: scrubbed on stderr and in --json", async () => {
    const envKey = "legacy-env-secret-4f9a2c";
    const fake = await createFakeArker({ listen: true, python: false });
    try {
      const vm = "vm_00000000000000000000000098";
      fake.faults.add({
        path: `/v1/vms/${vm}`,
        effect: { type: "respond", status: 409, code: "conflict", message: `held by ${envKey}` },
      });
      const home = await temporaryHome();
      const cli = (args: string[]) =>
        runArker(["--api-key", fake.apiKey, "--base-url", fake.url!, ...args], {
          env: { HOME: home, ARKER_API_KEY: envKey },
          secrets: [envKey, fake.apiKey],
        });
      const human = await cli(["get", vm]);
      expect(human.code).toBe(1);
      expect(human.stderr).toMatch(/^arker: conflict: held by \[REDACTED\]/m);
      const json = await cli(["get", vm, "--json"]);
      expect(json.json()).toMatchObject({
        error: { code: "conflict", message: "held by [REDACTED]" },
      });
      const removal = await cli(["rm", "--yes", vm, "--json"]);
      expect(removal.json()).toMatchObject({
        failed: [{ id: vm, error: { code: "conflict", message: "held by [REDACTED]" } }],
      });
    } finally {
      await fake.close();
    }
  });

  it("--api-key warns once and points to the stdin form", async () => {
    const home = await temporaryHome();
    const result = await runArker(["--api-key", KEY, "config", "list"], {
      env: { HOME: home },
      secrets: [KEY],
    });
    expect(result.code).toBe(0);
    const warnings = result.stderr.split("\n").filter((line) => line.includes("--api-key"));
    expect(warnings).toEqual([
      `arker: warning: --api-key puts the key in your shell history and the process list; prefer ARKER_API_KEY or: ${STORE_KEY_FORM}`,
    ]);
    const quiet = await runArker(["config", "list"], { env: { HOME: home, ARKER_API_KEY: KEY } });
    expect(quiet.stderr).toBe("");
  });

  it("config set apiKey <key> warns; the stdin form does not", async () => {
    const home = await temporaryHome();
    const env = { HOME: home };
    const argument = await runArker(["config", "set", "apiKey", KEY], { env, secrets: [KEY] });
    expect(argument.code).toBe(0);
    expect(argument.stderr).toContain(`arker: warning: the key is now in your shell history`);
    expect(argument.stderr).toContain(STORE_KEY_FORM);
    const stdin = await runArker(["config", "set", "apiKey", "-"], {
      env,
      stdin: KEY,
      secrets: [KEY],
    });
    expect(stdin.code).toBe(0);
    expect(stdin.stderr).not.toContain("warning");
    const region = await runArker(["config", "set", "region", "us-west-2"], { env });
    expect(region.stderr).not.toContain("warning");
  });
});

describe("the config file's permissions", () => {
  it("a pre-existing 0755 config directory becomes 0700 on write", async () => {
    const home = await temporaryHome();
    const dir = join(home, ".config", "arker");
    await mkdir(dir, { mode: 0o755, recursive: true });
    await chmod(dir, 0o755);
    const result = await runArker(["config", "set", "region", "us-west-2"], {
      env: { HOME: home },
    });
    expect(result.code, result.stderr).toBe(0);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, "config.json"))).mode & 0o777).toBe(0o600);
  });

  it("a config file others can read is read with a warning, as ssh does", async () => {
    const home = await temporaryHome();
    const file = join(home, ".arker", "config.json");
    await mkdir(join(home, ".arker"));
    await writeFile(file, JSON.stringify({ region: "us-west-2" }));
    await chmod(file, 0o644);
    const loose = await runArker(["config", "get", "region"], { env: { HOME: home } });
    expect(loose.code).toBe(0);
    expect(loose.text).toBe("us-west-2\n");
    expect(loose.stderr).toBe(
      `arker: warning: ${file} is accessible by others (mode 0644); run: chmod 600 ${file}\n`,
    );
    await chmod(file, 0o600);
    expect((await runArker(["config", "get", "region"], { env: { HOME: home } })).stderr).toBe("");
  });

  it("the temp file is created exclusively: a planted link at the old pid name is not followed", async () => {
    const home = await temporaryHome();
    const dir = join(home, ".arker");
    await mkdir(dir, { mode: 0o700 });
    const victim = join(home, "victim.txt");
    await writeFile(victim, "untouched");
    const path = join(dir, "config.json");
    await symlink(victim, `${path}.${process.pid}.tmp`);
    await writeConfigFile(path, { region: "us-west-2" });
    expect(await readFile(victim, "utf8")).toBe("untouched");
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual({ region: "us-west-2" });
    const names = await readdir(dir);
    expect(names.filter((name) => name.endsWith(".tmp"))).toEqual([
      `config.json.${process.pid}.tmp`,
    ]);
  });
});
