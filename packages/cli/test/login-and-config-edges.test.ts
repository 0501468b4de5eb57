import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { createFakeArker, type FakeArker } from "@arker-ai/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliIo, runCli } from "../src/index";
import { runArker, temporaryHome } from "./harness";

let fake: FakeArker;

beforeAll(async () => {
  fake = await createFakeArker({ listen: true, python: false });
});

afterAll(async () => {
  await fake?.close();
});

/** `arker login` against `url`, the key piped on stdin. */
function login(home: string, url: string, key: string) {
  return runArker(["login"], {
    env: { HOME: home, ARKER_BASE_URL: url },
    stdin: key,
    secrets: [key],
  });
}

describe("arker login's check of the key", () => {
  it("lists at most one VM with it", async () => {
    const org = fake.addOrg();
    const result = await login(await temporaryHome(), fake.url as string, org.apiKey);
    expect(result.code, result.stderr).toBe(0);
    const checks = fake.requests.filter((entry) => entry.orgId === org.orgId);
    expect(checks.map((entry) => entry.query)).toEqual(["limit=1"]);
  });

  it("a 403 is a rejection too: not stored, exit 4, the hint to copy the key again", async () => {
    const home = await temporaryHome();
    const rule = fake.faults.add({
      method: "GET",
      path: "/v1/vms",
      times: 1,
      effect: { type: "respond", status: 403, code: "forbidden" },
    });
    try {
      const result = await login(home, fake.url as string, fake.apiKey);
      expect(result.code).toBe(4);
      expect(result.stderr).toMatch(
        /^arker: forbidden: the server rejected the key \(403, request \S+\); it was not stored\nhint: copy the key again from the Arker console; keys start with ark_\n$/,
      );
    } finally {
      fake.faults.remove(rule);
    }
    expect(existsSync(`${home}/.config/arker/config.json`)).toBe(false);
  });

  it("any other refusal is reported as it is, and nothing is stored", async () => {
    const home = await temporaryHome();
    const rule = fake.faults.add({
      method: "GET",
      path: "/v1/vms",
      times: 1,
      effect: { type: "respond", status: 400, code: "bad_request", message: "no thanks" },
    });
    try {
      const result = await login(home, fake.url as string, fake.apiKey);
      expect(result.code).not.toBe(0);
      expect(result.code).not.toBe(4);
      expect(result.stderr).toMatch(/^arker: bad_request: no thanks/m);
      expect(result.stderr).not.toContain("rejected");
    } finally {
      fake.faults.remove(rule);
    }
    expect(existsSync(`${home}/.config/arker/config.json`)).toBe(false);
  });

  it("a rejection without a request id leaves the id out", async () => {
    const server = createServer((_request, response) => {
      response.writeHead(401, { "content-type": "application/json" });
      response.end(JSON.stringify({ code: "unauthorized", message: "bad key" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const result = await login(await temporaryHome(), `http://127.0.0.1:${port}`, "ark_test_x");
      expect(result.code).toBe(4);
      expect(result.stderr).toMatch(
        /^arker: unauthorized: the server rejected the key \(401\); it was not stored$/m,
      );
    } finally {
      server.close();
    }
  });

  it("a key of blanks is no key", async () => {
    const result = await login(await temporaryHome(), fake.url as string, " \t\n");
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "arker: usage: no API key given; type it at the prompt or pipe it on stdin\n",
    );
  });

  it("on a terminal that can hide input, the key is typed in raw mode, not echoed", async () => {
    const home = await temporaryHome();
    const modes: boolean[] = [];
    let stderr = "";
    const io: CliIo = {
      stdout: new Writable({ write: (_chunk, _encoding, done) => done() }),
      stderr: new Writable({
        write: (chunk, _encoding, done) => {
          stderr += String(chunk);
          done();
        },
      }),
      stdin: Object.assign(
        (async function* () {
          yield `${fake.apiKey}\r`;
        })(),
        { setRawMode: (mode: boolean) => modes.push(mode) },
      ),
      env: { HOME: home, ARKER_BASE_URL: fake.url as string },
      stdoutIsTTY: false,
      stderrIsTTY: false,
      stdinIsTTY: true,
    };
    expect(await runCli(["login"], io), stderr).toBe(0);
    expect(modes).toEqual([true, false]);
    expect(stderr).toMatch(/^Arker API key: \nlogged in: stored ark_…/);
    expect(stderr).not.toContain(fake.apiKey);
  });
});

describe("arker config unset", () => {
  it("removes a key from the file; a key not in it says so and writes nothing", async () => {
    const env = { HOME: await temporaryHome() };
    expect((await runArker(["config", "set", "region", "us-west-2"], { env })).code).toBe(0);
    const path = (await runArker(["config", "path"], { env })).text.trim();
    const removed = await runArker(["config", "unset", "region"], { env });
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stderr).toBe("removed region\n");
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual({});
    await rm(path);
    const again = await runArker(["config", "unset", "region"], { env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toBe("region was not set in the file\n");
    expect(existsSync(path)).toBe(false);
    expect((await runArker(["config", "unset", "region", "--json"], { env })).json()).toEqual({
      key: "region",
      removed: false,
      path,
    });
  });
});
