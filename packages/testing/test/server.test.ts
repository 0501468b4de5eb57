import { request } from "undici";
import { describe, expect, it } from "vitest";
import { exportLines, startFakeServer } from "../src/index.js";
import { spawnFakeBin } from "./fake-bin.js";

describe("startFakeServer", () => {
  it("on loopback: no warning; env, key and control token returned", async () => {
    const server = await startFakeServer({ python: false });
    try {
      expect(server.exposure).toBeUndefined();
      expect(server.env).toEqual({
        ARKER_BASE_URL: server.url,
        ARKER_CONTROL_BASE_URL: server.url,
        ARKER_API_KEY: server.apiKey,
      });
      expect(server.controlToken).toBe(server.fake.controlToken);
      expect(exportLines(server)).toContain(
        `export ARKER_FAKE_CONTROL_TOKEN=${server.controlToken}`,
      );
    } finally {
      await server.close();
    }
  });

  it("on every interface: a warning naming the exposure, and a URL that works", async () => {
    const server = await startFakeServer({ python: false, host: "0.0.0.0" });
    try {
      expect(server.exposure).toMatch(/reachable from other machines/);
      expect(server.exposure).toContain("0.0.0.0");
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const response = await request(`${server.url}/v1/health`);
      expect(response.statusCode).toBe(200);
      await response.body.dump();
    } finally {
      await server.close();
    }
  });

  it("the arker-fake bin prints the warning on stderr with --host 0.0.0.0", async () => {
    const child = spawnFakeBin(["--host", "0.0.0.0"]);
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes("ARKER_FAKE_CONTROL_TOKEN")) resolve();
      });
      child.once("exit", (code) => reject(new Error(`bin exited early with ${code}: ${stderr}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/warning: .*reachable from other machines/);
    expect(stdout).toMatch(/^export ARKER_BASE_URL=http:\/\/127\.0\.0\.1:\d+$/m);
    // The real clients send list calls to the control base URL (issue 11, item 1).
    const base = /^export ARKER_BASE_URL=(\S+)$/m.exec(stdout)?.[1];
    expect(stdout).toContain(`export ARKER_CONTROL_BASE_URL=${base}\n`);
  });

  it("the arker-fake bin refuses a bad limit flag with a usage error", async () => {
    const child = spawnFakeBin(["--max-command-ms", "soon"]);
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/--max-command-ms must be an integer/);
    expect(stderr).toMatch(/usage: arker-fake/);
  });
});
