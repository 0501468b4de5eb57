import { spawn } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createFakeArker, type FakeArker } from "@arker-ai/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, cliFor, requireBuiltBinary, runArker, temporaryHome } from "./harness";

let fake: FakeArker;
let cli: ReturnType<typeof cliFor>;

beforeAll(async () => {
  requireBuiltBinary();
  fake = await createFakeArker({ listen: true, python: false });
  cli = cliFor({ url: fake.url!, apiKey: fake.apiKey }, await temporaryHome());
});

afterAll(async () => {
  await fake?.close();
});

const BOGUS_KEY = "ark_live_bogusbogusbogus0000";
// Issue 13 item 8: the hint shows the stdin form, which keeps the key out of history.
const API_KEY_HINT = "hint: set ARKER_API_KEY or run: arker login";

describe.concurrent("credentials and exit code 4", () => {
  it("a missing key exits 4 with the one-line hint, before any request", async () => {
    // A base URL of its own, so concurrent tests' requests cannot blur the check.
    const baseUrl = `${fake.url}/missing-key`;
    const result = await cli(["ls"], {
      env: { ARKER_API_KEY: undefined, ARKER_BASE_URL: baseUrl },
    });
    expect(result.code).toBe(4);
    expect(result.stderr).toBe(
      `arker: bad_request: apiKey is required; pass --api-key or set ARKER_API_KEY\n${API_KEY_HINT}\n`,
    );
    expect(result.text).toBe("");
    expect(fake.requests.some((entry) => entry.path.startsWith("/missing-key"))).toBe(false);
    const json = await cli(["ls", "--json"], { env: { ARKER_API_KEY: undefined } });
    expect(json.code).toBe(4);
    expect(json.json()).toEqual({
      error: expect.objectContaining({
        code: "bad_request",
        message: expect.stringMatching(/apiKey is required/),
      }),
    });
  });

  it("a missing region (and no base URL) exits 4 with a hint", async () => {
    const result = await cli(["ls"], { env: { ARKER_BASE_URL: undefined } });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/^arker: bad_request: region or baseUrl is required/m);
    expect(result.stderr).toMatch(/^hint: set ARKER_REGION .*arker config set region <region>$/m);
  });

  it("a rejected key (401) exits 4 with the hint and never prints the key", async () => {
    const result = await cli(["ls"], { env: { ARKER_API_KEY: BOGUS_KEY }, secrets: [BOGUS_KEY] });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/^arker: unauthorized: .+ \(request req_\w+\)$/m);
    expect(result.stderr).toMatch(/^hint: .*ARKER_API_KEY/m);
    const flag = await cli(["--api-key", BOGUS_KEY, "get", "vm_1", "--json"], {
      secrets: [BOGUS_KEY],
    });
    expect(flag.code).toBe(4);
    expect(flag.json()).toMatchObject({ error: { code: "unauthorized", status: 401 } });
  });

  it("a revoked key is rejected too", async () => {
    const org = fake.addOrg();
    const own = cliFor({ url: fake.url!, apiKey: org.apiKey }, await temporaryHome());
    expect((await own(["ls"])).code).toBe(0);
    fake.revokeKey(org.apiKey);
    expect((await own(["ls"])).code).toBe(4);
  });

  it("forbidden (another org's VM) exits 4", async () => {
    const golden = fake.vms.find((vm) => vm.owner_org_id === "ArkerHQ")!;
    const result = await cli(["rm", "--yes", golden.vm_id]);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/^arker: forbidden: /m);
  });
});

describe.concurrent("flags, environment and precedence", () => {
  it("--debug traces every call on stderr without the key; stdout stays clean", async () => {
    const result = await cli(["--debug", "ls", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      new RegExp(`^arker GET ${fake.url}/v1/vms(\\?\\S*)? 200 \\d+ms attempt 1/\\d`, "m"),
    );
    expect(result.json()).toHaveProperty("vms");
    const quiet = await cli(["ls", "--json"]);
    expect(quiet.stderr).toBe("");
  });

  it("--api-key and --base-url beat the environment, which beats the file", async () => {
    const home = await temporaryHome();
    await mkdir(join(home, ".arker"));
    await writeFile(
      join(home, ".arker", "config.json"),
      JSON.stringify({ apiKey: BOGUS_KEY, baseUrl: "http://127.0.0.1:9" }),
    );
    const base = { HOME: home, ARKER_API_KEY: undefined, ARKER_BASE_URL: undefined };
    const secrets = [BOGUS_KEY, fake.apiKey];
    // File only: the wrong port, so a network error (exit 1) after the retries.
    const fileOnly = await runArker(["ls", "--json"], { env: base, secrets });
    expect(fileOnly.code).toBe(1);
    expect(fileOnly.json()).toMatchObject({ error: { code: "network_error" } });
    // Env beats the file for the base URL; the file's (bogus) key is still used: 401.
    const envUrl = await runArker(["ls"], { env: { ...base, ARKER_BASE_URL: fake.url }, secrets });
    expect(envUrl.code).toBe(4);
    // Flag beats the file for the key.
    const flags = await runArker(
      ["--api-key", fake.apiKey, "--base-url", fake.url!, "ls", "--json"],
      {
        env: base,
        secrets,
      },
    );
    expect(flags.code, flags.stderr).toBe(0);
    // Flag beats the environment.
    const flagOverEnv = await runArker(["--base-url", fake.url!, "ls"], {
      env: { ...base, ARKER_API_KEY: fake.apiKey, ARKER_BASE_URL: "http://127.0.0.1:9" },
      secrets,
    });
    expect(flagOverEnv.code, flagOverEnv.stderr).toBe(0);
    const sources = await runArker(["--base-url", fake.url!, "config", "list", "--json"], {
      env: { ...base, ARKER_REGION: "eu-west-1" },
      secrets,
    });
    expect(sources.json()).toEqual({
      path: join(home, ".arker", "config.json"),
      values: {
        apiKey: { value: "ark_…0000", source: "file" },
        region: { value: "eu-west-1", source: "env" },
        provider: { value: null, source: "unset" },
        baseUrl: { value: fake.url, source: "flag" },
      },
    });
  });

  it("--region and --provider are validated by the SDK (bad_request, exit 1)", async () => {
    const result = await cli(["--region", "nowhere", "ls"], { env: { ARKER_BASE_URL: undefined } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^arker: bad_request: region must look like/m);
    const provider = await cli(["--provider", "gcp", "ls"]);
    expect(provider.code).toBe(1);
    expect(provider.stderr).toMatch(/provider must be one of/);
  });

  it("--no-color and NO_COLOR are accepted and output stays plain when piped", async () => {
    const plain = await cli(["ls"]);
    const noColor = await cli(["--no-color", "ls"]);
    const envNoColor = await cli(["ls"], { env: { NO_COLOR: "1" } });
    expect(plain.text).not.toContain("\u001b[");
    expect(noColor.code).toBe(0);
    expect(envNoColor.text).toBe(noColor.text);
  });
});

describe.concurrent("config", () => {
  it("set, get, list, unset and path over a 0600 file; the key never printed in full", async () => {
    const home = await temporaryHome();
    const dir = join(home, "custom-config");
    const config = (args: string[], stdin?: string) =>
      runArker(["config", ...args], {
        env: { HOME: home, ARKER_CONFIG_DIR: dir },
        stdin,
        secrets: ["ark_live_0123456789abcdefSECRET"],
      });
    expect((await config(["path"])).text).toBe(`${join(dir, "config.json")}\n`);
    const set = await config(["set", "apiKey", "ark_live_0123456789abcdefSECRET"]);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stderr).toBe(
      [
        "arker: warning: the key is now in your shell history and was in the process list; next time: arker login",
        `set apiKey = ark_…CRET in ${join(dir, "config.json")}`,
        "",
      ].join("\n"),
    );
    expect((await stat(join(dir, "config.json"))).mode & 0o777).toBe(0o600);
    expect((await config(["set", "region", "us-west-2", "--json"])).json()).toEqual({
      key: "region",
      value: "us-west-2",
      path: join(dir, "config.json"),
    });
    expect(JSON.parse(await readFile(join(dir, "config.json"), "utf8"))).toEqual({
      apiKey: "ark_live_0123456789abcdefSECRET",
      region: "us-west-2",
    });
    expect((await config(["get", "apiKey"])).text).toBe("ark_…CRET\n");
    expect((await config(["get", "region", "--json"])).json()).toEqual({
      key: "region",
      value: "us-west-2",
      source: "file",
    });
    const list = await config(["list"]);
    expect(list.text).toBe(
      [
        "KEY       VALUE      SOURCE",
        "apiKey    ark_…CRET  file",
        "region    us-west-2  file",
        "provider  -          unset",
        "baseUrl   -          unset",
        "",
      ].join("\n"),
    );
    const unset = await config(["unset", "region", "--json"]);
    expect(unset.json()).toEqual({ key: "region", removed: true, path: join(dir, "config.json") });
    const missing = await config(["get", "region"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("arker: region is not set\n");
    expect((await config(["get", "region", "--json"])).json()).toEqual({
      key: "region",
      value: null,
      source: "unset",
    });
  });

  it("set apiKey - reads the key from stdin; the stored key drives the client", async () => {
    const home = await temporaryHome();
    const config = await runArker(["config", "set", "apiKey", "-"], {
      env: { HOME: home },
      stdin: `${fake.apiKey}\n`,
      secrets: [fake.apiKey],
    });
    expect(config.code, config.stderr).toBe(0);
    const baseUrl = await runArker(["config", "set", "baseUrl", fake.url!], {
      env: { HOME: home },
    });
    expect(baseUrl.code).toBe(0);
    const ls = await runArker(["ls", "--json"], { env: { HOME: home }, secrets: [fake.apiKey] });
    expect(ls.code, ls.stderr).toBe(0);
    expect(ls.json()).toHaveProperty("vms");
  });

  it("rejects unknown keys and bad values as usage errors; a broken file is exit 1", async () => {
    const home = await temporaryHome();
    const env = { HOME: home };
    expect((await runArker(["config", "set", "colour", "x"], { env })).code).toBe(2);
    expect((await runArker(["config", "get", "token"], { env })).stderr).toMatch(
      /unknown config key "token"; expected one of apiKey, region, provider, baseUrl/,
    );
    expect((await runArker(["config", "set", "baseUrl", "not a url"], { env })).code).toBe(2);
    await mkdir(join(home, ".arker"));
    await writeFile(join(home, ".arker", "config.json"), "{broken");
    const broken = await runArker(["config", "list"], { env });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^arker: config_invalid: .*config\.json is not valid JSON$/m);
  });
});

describe.concurrent("usage errors, help and version", () => {
  it.each([
    [["nope"], /unknown command 'nope'/],
    [["ls", "--bogus"], /unknown option '--bogus'/],
    [["get"], /missing required argument 'vm'/],
    [["ls", "--limit", "many"], /--limit expects a whole number/],
    [["sync", "vm_1"], /missing required argument 'path'/],
    [["syncs", "create", "vm_1", "fs_1"], /missing required argument 'path'/],
    [["fs"], /Usage: arker fs/],
    [["runs", "wait", "vm_1"], /missing required argument 'run'/],
  ])("arker %j exits 2", async (args, message) => {
    const result = await runArker(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.text).toBe("");
  });

  it("a usage error with --json also prints an error document", async () => {
    const result = await runArker(["ls", "--json", "--limit", "0"]);
    expect(result.code).toBe(2);
    expect(result.json()).toEqual({
      error: {
        code: "usage",
        message: expect.stringContaining("--limit"),
        status: null,
        requestId: null,
      },
    });
  });

  const COMMANDS = [
    [],
    ["fork"],
    ["ls"],
    ["get"],
    ["rm"],
    ["resize"],
    ["run"],
    ["runs"],
    ["runs", "ls"],
    ["runs", "get"],
    ["runs", "cancel"],
    ["runs", "wait"],
    ["sync"],
    ["fs"],
    ["fs", "ls"],
    ["fs", "create"],
    ["fs", "get"],
    ["fs", "rm"],
    ["mounts"],
    ["mounts", "ls"],
    ["mounts", "create"],
    ["mounts", "get"],
    ["mounts", "rm"],
    ["sessions"],
    ["sessions", "ls"],
    ["sessions", "create"],
    ["sessions", "get"],
    ["sessions", "rm"],
    ["dev"],
    ["config"],
    ["config", "get"],
    ["config", "set"],
    ["config", "unset"],
    ["config", "list"],
    ["config", "path"],
    ["completion"],
    ["version"],
    ["login"],
  ];

  it("every command has --help with examples (exit 0, on stdout)", async () => {
    const results = await Promise.all(COMMANDS.map((path) => runArker([...path, "--help"])));
    results.forEach((result, index) => {
      const path = COMMANDS[index]!.join(" ");
      expect(result.code, path).toBe(0);
      expect(result.text, path).toMatch(
        new RegExp(`^Usage: arker${path ? ` ${path.replace(/^mounts$/, "mounts\\|syncs")}` : ""} `),
      );
      expect(result.text, path).toMatch(/\nExamples:\n {2}\$ /);
      const examples = result.text.slice(result.text.indexOf("\nExamples:\n"));
      expect(examples, path).toContain(`arker ${path}`.trimEnd());
    });
  });

  it("--version prints the package version", async () => {
    const packageJson = JSON.parse(
      await readFile(fileURLToPath(new URL("../package.json", import.meta.url)), "utf8"),
    ) as { version: string };
    const result = await runArker(["--version"]);
    expect(result.code).toBe(0);
    expect(result.text).toBe(`${packageJson.version}\n`);
  });
});

describe.concurrent("dev", () => {
  /** Starts `arker dev`, resolves with the export lines once printed, and the process. */
  function startDev(args: string[]) {
    const child = spawn(process.execPath, [BIN, "dev", ...args], {
      env: { PATH: process.env.PATH, HOME: tmpdir() },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const printed = new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        if (
          args.includes("--json") ? stdout.trimEnd().endsWith("}") : stdout.split("\n").length > 3
        ) {
          resolve(stdout);
        }
      });
      child.on("exit", (code) => reject(new Error(`arker dev exited ${code}: ${stderr}`)));
    });
    const exited = new Promise<number | null>((resolve) =>
      child.on("exit", (code) => resolve(code)),
    );
    return { child, printed, exited, stderr: () => stderr };
  }

  it("prints the export lines, serves the CLI, and stops cleanly on SIGINT", async () => {
    const dev = startDev([]);
    const lines = await dev.printed;
    const match =
      /^export ARKER_BASE_URL=(http:\/\/127\.0\.0\.1:\d+)\nexport ARKER_CONTROL_BASE_URL=\1\nexport ARKER_API_KEY=(ark_\S+)\n$/.exec(
        lines,
      );
    expect(match, lines).not.toBeNull();
    const [, url, key] = match!;
    const home = await temporaryHome();
    const vm = await runArker(["fork", "ubuntu"], {
      env: { HOME: home, ARKER_BASE_URL: url, ARKER_API_KEY: key },
    });
    expect(vm.code, vm.stderr).toBe(0);
    const run = await runArker(["run", vm.text.trim(), "--", "echo", "dev"], {
      env: { HOME: home, ARKER_BASE_URL: url, ARKER_API_KEY: key },
    });
    expect(run.text).toBe("dev\n");
    expect(dev.stderr()).toMatch(
      /fake Arker server on http:\/\/127\.0\.0\.1:\d+ \(clock real\); Ctrl-C to stop/,
    );
    // One line per call the fake answered.
    const logged = /^200 POST \/v1\/vms\/\S+\/runs$/m;
    for (let tries = 0; tries < 50 && !logged.test(dev.stderr()); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(dev.stderr()).toMatch(logged);
    dev.child.kill("SIGINT");
    expect(await dev.exited).toBe(0);
  });

  it("--port and --json; SIGTERM stops it", async () => {
    const probe = await createFakeArker({ listen: true, python: false });
    const port = Number(new URL(probe.url!).port);
    await probe.close();
    const dev = startDev(["--port", String(port), "--json"]);
    const document = JSON.parse(await dev.printed) as { baseUrl: string; apiKey: string };
    expect(document).toEqual({
      baseUrl: `http://127.0.0.1:${port}`,
      apiKey: expect.stringMatching(/^ark_/),
      pid: dev.child.pid,
      clock: "real",
    });
    dev.child.kill("SIGTERM");
    expect(await dev.exited).toBe(0);
  });

  it.each([
    [
      "a project",
      true,
      /^hint: npm install --save-dev @arker-ai\/testing .* in \S*arker-cli-lonely-/m,
    ],
    ["no project", false, /^hint: npm install -g @arker-ai\/testing/m],
  ])(
    "without @arker-ai/testing installed (in %s) it says how to install it and exits 1",
    async (_case, inProject, hint) => {
      // A copy of the binary where only its eagerly loaded dependencies resolve: commander
      // and the contract of @arker-ai/core (no SDK, no @arker-ai/testing).
      const root = await mkdtemp(join(tmpdir(), "arker-cli-lonely-"));
      const commander = dirname(fileURLToPath(import.meta.resolve("commander")));
      await mkdir(join(root, "node_modules", "@arker-ai"), { recursive: true });
      await symlink(
        commander.replace(/\/(lib|esm\.mjs)$/, ""),
        join(root, "node_modules", "commander"),
      );
      await symlink(
        fileURLToPath(new URL("../../core", import.meta.url)),
        join(root, "node_modules", "@arker-ai", "core"),
      );
      await writeFile(join(root, "package.json"), '{ "type": "module" }');
      await copyFile(BIN, join(root, "bin.js"));
      const outside = await mkdtemp(join(tmpdir(), "arker-no-project-"));
      const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [join(root, "bin.js"), "dev"], {
          cwd: inProject ? root : outside,
          // pnpm sets NODE_PATH, which require.resolve (the project lookup) honours.
          env: { PATH: process.env.PATH, HOME: tmpdir() },
          stdio: ["ignore", "ignore", "pipe"],
        });
        let stderr = "";
        child.stderr.on("data", (chunk: Buffer) => {
          stderr += chunk.toString();
        });
        child.on("close", (code) => resolve({ code, stderr }));
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^arker: missing_dependency: arker dev needs the package @arker-ai\/testing/m,
      );
      expect(result.stderr).toMatch(hint);
    },
  );
});

describe.concurrent("FORCE_COLOR", () => {
  it("colours a piped table under FORCE_COLOR=1, never the --json document", async () => {
    const forced = await cli(["ls"], { env: { FORCE_COLOR: "1" } });
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.text).toContain("\u001b[1mID");
    const json = await cli(["ls", "--json"], { env: { FORCE_COLOR: "1" } });
    expect(json.text).not.toContain("\u001b[");
    const plain = await cli(["ls"], { env: { FORCE_COLOR: "0" } });
    expect(plain.text).not.toContain("\u001b[");
  });
});
