import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { ArkerError } from "@arker-ai/core";
import type { Arker } from "@arker-ai/sdk";
import type { FakeArker } from "@arker-ai/testing";
import { Agent, type Dispatcher } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliOutput, ensureCliBuilt, runCli } from "./lib/cli";
import { arkerFor, startFake } from "./lib/connect";
import { createFigures, saveFigures } from "./lib/figures";
import { findSecret } from "./lib/secrets";
import { capturingLogger } from "./lib/trace";

const figures = createFigures(
  "secrets",
  "The API key (and a wrong key tried against the server) — and the tokens of signed URLs — never appear in error messages (nor their causes, inspected in depth), the fake's request log, the SDK's debug trace, or the CLI's stdout, stderr, `--json` and `--debug` output, over succeeding and failing calls.",
);
afterAll(() => saveFigures(figures));

/**
 * A connection pool that notes the tokens of the signed URLs the SDK fetched: bearer
 * credentials, as secret as the key (the fake's request log must not hold them, so
 * they are taken on the client's side of the wire).
 */
function tokenRecorder(): { dispatcher: Dispatcher; tokens(): string[] } {
  const seen = new Set<string>();
  const dispatcher = new Agent().compose((dispatch) => (options, handler) => {
    const path = String(options.path);
    if (path.includes("/_fake/blobs/")) {
      const token = path.split("?")[0]!.split("/").pop() ?? "";
      if (token.length >= 16) seen.add(token);
    }
    return dispatch(options, handler);
  });
  return { dispatcher, tokens: () => [...seen] };
}

/** A key the server does not know: a secret all the same. */
const WRONG_KEY = "ark_live_WrongKeyButStillSecret0123456789";

describe("secrets", () => {
  let fake: FakeArker;
  const places: Array<{ where: string; text: string }> = [];
  const record = (where: string, text: string) => {
    places.push({ where, text });
  };

  beforeAll(async () => {
    ensureCliBuilt();
    fake = await startFake({ listen: true, seed: 99 });
  });
  afterAll(async () => {
    await fake.close();
  });

  it("the SDK: errors, debug trace and the request log hold no key", async () => {
    const trace = capturingLogger();
    const recorder = tokenRecorder();
    const ar: Arker = arkerFor(fake, {
      logLevel: "debug",
      logger: trace,
      dispatcher: recorder.dispatcher,
    });
    const wrong: Arker = arkerFor(fake, { apiKey: WRONG_KEY, logLevel: "debug", logger: trace });
    // Retries (and their trace lines) on every kind of transient failure.
    fake.faults.add({
      path: "/v1/fork",
      times: 1,
      effect: { type: "respond", status: 503, code: "unavailable" },
    });
    fake.faults.add({ path: "/v1/vms/*/runs", times: 1, effect: { type: "reset-after" } });
    fake.faults.add({ path: "/_fake/blobs/*", times: 1, effect: { type: "reset-before" } });
    const errors: unknown[] = [];
    const attempt = async (work: () => Promise<unknown>) => {
      figures.operations++;
      try {
        await work();
      } catch (error) {
        errors.push(error);
      }
    };
    const vm = await ar.fork("ubuntu-full", { name: "secrets" });
    figures.operations++;
    await attempt(() => vm.run(`echo the key is not here`));
    await attempt(() => vm.sync("/home/user/big.bin", new Uint8Array(4 * 1024 * 1024 + 3)));
    await attempt(() => vm.sync("/home/user/big.bin"));
    // A signed-URL download that fails for good: its error must not carry the URL.
    fake.faults.add({
      method: "GET",
      path: "/_fake/blobs/*",
      times: 1,
      effect: { type: "respond", status: 403, code: "forbidden" },
    });
    await attempt(() => vm.sync("/home/user/big.bin"));
    await attempt(() => vm.sync("/home/user/missing"));
    await attempt(() => ar.getVm("vm_00000000000000000000000000"));
    await attempt(() => vm.resize({ vcpu_count: 0 }));
    await attempt(() => vm.run("true", { idempotencyKey: "reused" }));
    await attempt(() => vm.run("false", { idempotencyKey: "reused" }));
    await attempt(() => ar.fork("no-such-vm"));
    await attempt(() => wrong.fork("ubuntu-full"));
    await attempt(() => wrong.listVms());
    await attempt(() => wrong.vm(vm.id).sync("/home/user/big.bin"));
    const dead = arkerFor(fake, {
      baseUrl: "http://127.0.0.1:9",
      retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
      logLevel: "debug",
      logger: trace,
    });
    await attempt(() => dead.listVms());
    await ar.close();
    await wrong.close();
    await dead.close();
    await recorder.dispatcher.close();

    expect(errors.length).toBeGreaterThanOrEqual(9);
    for (const error of errors) {
      expect(ArkerError.is(error)).toBe(true);
      record("error message", String((error as Error).message));
      record("error (inspected)", inspect(error, { depth: null, showHidden: true }));
      record("error (JSON)", JSON.stringify(error));
    }
    const codes = errors.map((error) => (error as ArkerError).code);
    expect(codes).toEqual(
      expect.arrayContaining([
        "unauthorized",
        "not_found",
        "bad_request",
        "conflict",
        "network_error",
      ]),
    );
    expect(trace.retries).toBeGreaterThanOrEqual(3);
    record("debug trace", trace.lines.join("\n"));
    record("fake.requests", JSON.stringify(fake.requests));
    figures.retries += trace.retries;
    figures.notes["SDK: errors searched"] = errors.length;
    figures.notes["SDK: debug trace lines searched"] = trace.lines.length;

    const found = places
      .map(({ where, text }) => ({ where, secret: findSecret(text, [fake.apiKey, WRONG_KEY]) }))
      .filter((hit) => hit.secret !== null);
    figures.leaks += found.length;
    expect(found).toEqual([]);
    const tokens = recorder.tokens();
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    // The request log is searched too: it logs a signed URL as `/_fake/blobs/{token}`.
    expect(fake.requests.some((entry) => entry.path === "/_fake/blobs/{token}")).toBe(true);
    const urlLeaks = places
      .filter(({ text }) => findSecret(text, tokens) !== null)
      .map(({ where }) => where);
    figures.leaks += urlLeaks.length;
    figures.notes["SDK: signed-URL tokens searched for"] = tokens.length;
    expect(urlLeaks).toEqual([]);
    // The search can fail: the trace does mention the host the key was sent to.
    expect(trace.lines.some((line) => line.includes(fake.url!))).toBe(true);
  });

  it("the CLI: stdout, stderr, --json and --debug of succeeding and failing commands hold no key", async () => {
    const home = mkdtempSync(join(tmpdir(), "arker-secrets-"));
    const env = {
      HOME: home,
      ARKER_CONFIG_DIR: join(home, ".arker"),
      ARKER_BASE_URL: fake.url!,
      ARKER_API_KEY: fake.apiKey,
      NO_COLOR: "1",
    };
    const outputs: CliOutput[] = [];
    const cli = async (args: string[], overrides: Record<string, string> = {}, stdin = "") => {
      figures.operations++;
      const output = await runCli(args, { ...env, ...overrides }, stdin);
      outputs.push(output);
      return output;
    };
    try {
      const local = join(home, "upload.txt");
      writeFileSync(local, "local bytes\n");
      const big = join(home, "big.bin");
      writeFileSync(big, new Uint8Array(5 * 1024 * 1024).fill(7));
      const forked = await cli(["fork", "ubuntu-full", "--name", "cli-secrets"]);
      expect(forked.code).toBe(0);
      const vmId = forked.stdout.trim();
      expect(vmId).toMatch(/^vm_/);
      // One retry under --debug, so the trace shows a retried attempt too.
      fake.faults.add({
        path: "/v1/vms",
        times: 1,
        effect: { type: "respond", status: 503, code: "unavailable" },
      });
      const commands = (flags: string[]): Array<[string[], Record<string, string>?]> => [
        [[...flags, "ls"]],
        [[...flags, "get", vmId]],
        [[...flags, "run", vmId, "--", "echo", "hello"]],
        [[...flags, "run", vmId, "--", "sh", "-c", "exit 3"]],
        [[...flags, "sync", vmId, "/home/user/up.txt", local]],
        [[...flags, "sync", vmId, "/home/user/up.txt"]],
        [[...flags, "sync", vmId, "/home/user/missing.txt"]],
        [[...flags, "get", "vm_00000000000000000000000000"]],
        [[...flags, "resize", vmId, "--vcpus", "999"]],
        [[...flags, "rm", "--yes", "vm_00000000000000000000000000"]],
        [[...flags, "fs", "ls"]],
        [[...flags, "runs", "ls", vmId]],
        [[...flags, "ls"], { ARKER_API_KEY: WRONG_KEY }],
        [[...flags, "--api-key", WRONG_KEY, "get", vmId]],
        [[...flags, "--api-key", fake.apiKey, "get", "vm_00000000000000000000000000"]],
        [[...flags, "ls"], { ARKER_BASE_URL: "http://127.0.0.1:9" }],
        [[...flags, "frobnicate", "--api-key", fake.apiKey]],
      ];
      // Four lanes, one per flag set: the processes mostly wait on the server.
      const lanes = [[[]], [["--json"]], [["--debug"]], [["--json", "--debug"]]];
      await Promise.all(
        lanes.map(async (lane) => {
          for (const flags of lane) {
            for (const [args, overrides] of commands(flags)) await cli(args, overrides);
          }
        }),
      );
      // Transfers through signed URLs, traced.
      await cli(["--debug", "sync", vmId, "/home/user/big.bin", big]);
      await cli(["--debug", "sync", vmId, "/home/user/big.bin"]);
      await cli(["--debug", "--json", "sync", vmId, "/home/user/big.bin"]);
      // The key in the config file, then read back, listed and used.
      const configured = { ARKER_API_KEY: "" };
      const set = await cli(["config", "set", "apiKey", "-"], configured, fake.apiKey);
      expect(set.code).toBe(0);
      // The key at rest: readable by its owner only.
      const configDir = join(home, ".arker");
      const configFile = join(configDir, "config.json");
      expect(readFileSync(configFile, "utf8")).toContain(fake.apiKey);
      expect((statSync(configFile).mode & 0o777).toString(8)).toBe("600");
      expect((statSync(configDir).mode & 0o777).toString(8)).toBe("700");
      figures.notes["CLI: config file holding the key"] = "mode 0600 in a 0700 directory";
      for (const flags of [[], ["--json"]]) {
        await cli([...flags, "config", "get", "apiKey"], configured);
        await cli([...flags, "config", "list"], configured);
        await cli([...flags, "--debug", "get", vmId], configured);
      }

      const codes = new Set(outputs.map((output) => output.code));
      // Both successes and failures were searched.
      expect(codes.has(0)).toBe(true);
      expect([...codes].some((code) => code !== 0)).toBe(true);
      expect(outputs.some((output) => output.stderr.includes("unauthorized"))).toBe(true);
      expect(outputs.some((output) => output.stderr.includes(fake.url!))).toBe(true);
      for (const output of outputs) {
        record(`arker ${output.args.join(" ")} (stdout)`, output.stdout);
        record(`arker ${output.args.join(" ")} (stderr)`, output.stderr);
      }
      figures.notes["CLI: commands searched"] = outputs.length;
      figures.notes["CLI: exit codes seen"] = [...codes].sort().join(", ");
      const found = outputs.flatMap((output) =>
        [output.stdout, output.stderr]
          .map((text) => findSecret(text, [fake.apiKey, WRONG_KEY]))
          .filter((secret) => secret !== null)
          .map(
            (secret) =>
              `arker ${output.args.join(" ").replaceAll(fake.apiKey, "<key>").replaceAll(WRONG_KEY, "<wrong key>")}: ${secret?.slice(0, 4)}…`,
          ),
      );
      figures.leaks += found.length;
      expect(found).toEqual([]);
      const tokens = fake.signedUrlTokens();
      expect(tokens.length).toBeGreaterThanOrEqual(4);
      const logged = JSON.stringify(fake.requests);
      const logLeaks = tokens.filter((token) => logged.includes(token)).length;
      figures.leaks += logLeaks;
      expect(logLeaks).toBe(0);
      const urlLeaks = outputs
        .filter((output) => findSecret(`${output.stdout}\n${output.stderr}`, tokens) !== null)
        .map((output) => `arker ${output.args.join(" ")}`);
      figures.leaks += urlLeaks.length;
      figures.notes["CLI: signed-URL tokens searched for"] = tokens.length;
      expect(urlLeaks).toEqual([]);
    } finally {
      figures.notes["places searched"] = places.length;
      figures.inputsTried = places.length;
      figures.requests = fake.requests.length;
      rmSync(home, { recursive: true, force: true });
    }
  });
});
