import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { Writable } from "node:stream";
import { createFakeArker, type FakeArker } from "@arker-ai/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIo } from "../src/index";
import { askLine } from "../src/support/prompt";
import { runArker, temporaryHome } from "./harness";

let fake: FakeArker;

beforeAll(async () => {
  fake = await createFakeArker({ listen: true, python: false });
});

afterAll(async () => {
  await fake?.close();
});

const configOf = (home: string) => join(home, ".config", "arker", "config.json");
const WRONG_KEY = "ark_live_0000000000000000000000000000";

/** `arker login` with no key in the environment, against the fake. */
function login(home: string, options: { stdin?: string; stdinIsTTY?: boolean; args?: string[] }) {
  return runArker([...(options.args ?? []), "login"], {
    env: { HOME: home, ARKER_BASE_URL: fake.url },
    secrets: [fake.apiKey, WRONG_KEY],
    ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
    stdinIsTTY: options.stdinIsTTY ?? false,
  });
}

/** The requests the fake saw from one org. */
const requestsOf = (orgId: string) => fake.requests.filter((entry) => entry.orgId === orgId);

describe.concurrent("arker login", () => {
  it("reads the key from stdin, checks it with one call and stores it 0600", async () => {
    const home = await temporaryHome();
    const org = fake.addOrg();
    const result = await login(home, { stdin: `${org.apiKey}\n` });
    expect(result.code, result.stderr).toBe(0);
    expect(requestsOf(org.orgId).map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      "GET /v1/vms",
    ]);
    expect(result.stderr).toMatch(/^logged in: stored ark_…\w{4} in .*config\.json$/m);
    expect(result.stderr).not.toContain(org.apiKey);
    expect(JSON.parse(await readFile(configOf(home), "utf8"))).toEqual({ apiKey: org.apiKey });
    expect((await stat(configOf(home))).mode & 0o777).toBe(0o600);
    // The stored key now works without ARKER_API_KEY.
    const ls = await runArker(["ls", "--json"], {
      env: { HOME: home, ARKER_BASE_URL: fake.url },
      secrets: [org.apiKey],
    });
    expect(ls.code, ls.stderr).toBe(0);
    expect(requestsOf(org.orgId)).toHaveLength(2);
  });

  it("on a terminal it asks for the key", async () => {
    const home = await temporaryHome();
    const result = await login(home, { stdin: `${fake.apiKey}\n`, stdinIsTTY: true });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("Arker API key: ");
    expect(JSON.parse(await readFile(configOf(home), "utf8")).apiKey).toBe(fake.apiKey);
  });

  it("a rejected key is not stored and says why (exit 4)", async () => {
    const home = await temporaryHome();
    const result = await login(home, { stdin: WRONG_KEY, args: ["--json"] });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(
      /^arker: unauthorized: the server rejected the key \(401, request \S+\); it was not stored$/m,
    );
    expect(result.json()).toMatchObject({ error: { code: "unauthorized" } });
    await expect(stat(configOf(home))).rejects.toThrow(/ENOENT/);
  });

  it("no key is a usage error; no region or base URL says how to set one", async () => {
    const home = await temporaryHome();
    expect((await login(home, { stdin: "  \n" })).code).toBe(2);
    const noTarget = await runArker(["login"], { env: { HOME: home }, stdin: WRONG_KEY });
    expect(noTarget.code).toBe(4);
    expect(noTarget.stderr).toMatch(/ARKER_REGION/);
  });
});

describe("askLine with hidden input", () => {
  it("switches a terminal to raw mode, echoes nothing, handles backspace, restores the mode", async () => {
    const modes: boolean[] = [];
    let written = "";
    const stdin = {
      setRawMode: (mode: boolean) => modes.push(mode),
      async *[Symbol.asyncIterator]() {
        yield "ark_x";
        yield "y\u007fz\r";
      },
    };
    const io: CliIo = {
      stdout: new Writable({ write: (_chunk, _encoding, done) => done() }),
      stderr: new Writable({
        write: (chunk, _encoding, done) => {
          written += String(chunk);
          done();
        },
      }),
      stdin,
      env: {},
      stdoutIsTTY: true,
      stderrIsTTY: true,
      stdinIsTTY: true,
    };
    expect(await askLine(io, "key: ", { hidden: true })).toBe("ark_xz");
    expect(modes).toEqual([true, false]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(written).toBe("key: \n");
  });
});
