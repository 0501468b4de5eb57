import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runArker, temporaryHome } from "./harness";

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

async function legacyHome(values: Record<string, string>): Promise<string> {
  const home = await temporaryHome();
  await mkdir(join(home, ".arker"), { mode: 0o700 });
  await writeFile(join(home, ".arker", "config.json"), JSON.stringify(values), { mode: 0o600 });
  return home;
}

describe.concurrent("the config file in the XDG config folder", () => {
  it("is written to $XDG_CONFIG_HOME/arker/config.json, default ~/.config/arker", async () => {
    const home = await temporaryHome();
    const xdg = join(home, "xdg");
    const env = { HOME: home, XDG_CONFIG_HOME: xdg };
    const set = await runArker(["config", "set", "region", "us-west-2"], { env });
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(await readFile(join(xdg, "arker", "config.json"), "utf8"))).toEqual({
      region: "us-west-2",
    });
    expect((await runArker(["config", "path"], { env })).text).toBe(
      `${join(xdg, "arker", "config.json")}\n`,
    );
    const plain = await runArker(["config", "path"], { env: { HOME: home } });
    expect(plain.text).toBe(`${join(home, ".config", "arker", "config.json")}\n`);
  });

  it("the old ~/.arker/config.json is still read while it is the only one", async () => {
    const home = await legacyHome({ region: "eu-west-1" });
    const env = { HOME: home };
    const got = await runArker(["config", "get", "region", "--json"], { env });
    expect(got.json()).toEqual({ key: "region", value: "eu-west-1", source: "file" });
    expect((await runArker(["config", "path"], { env })).text).toBe(
      `${join(home, ".arker", "config.json")}\n`,
    );
  });

  it("is migrated on write: every old value moves, the old file and folder go, one line says so", async () => {
    const home = await legacyHome({ region: "eu-west-1", provider: "aws-burst" });
    const set = await runArker(["config", "set", "baseUrl", "http://127.0.0.1:8787"], {
      env: { HOME: home },
    });
    expect(set.code, set.stderr).toBe(0);
    const moved = join(home, ".config", "arker", "config.json");
    expect(set.stderr).toContain(
      `arker: moved the config from ${join(home, ".arker", "config.json")} to ${moved}`,
    );
    expect(JSON.parse(await readFile(moved, "utf8"))).toEqual({
      region: "eu-west-1",
      provider: "aws-burst",
      baseUrl: "http://127.0.0.1:8787",
    });
    expect((await stat(moved)).mode & 0o777).toBe(0o600);
    expect(await exists(join(home, ".arker"))).toBe(false);
  });

  it("an old file next to a new one is ignored, with a warning", async () => {
    const home = await legacyHome({ region: "eu-west-1" });
    await mkdir(join(home, ".config", "arker"), { recursive: true, mode: 0o700 });
    await writeFile(
      join(home, ".config", "arker", "config.json"),
      JSON.stringify({ region: "us-west-2" }),
      { mode: 0o600 },
    );
    const got = await runArker(["config", "get", "region"], { env: { HOME: home } });
    expect(got.text).toBe("us-west-2\n");
    expect(got.stderr).toMatch(/warning: .*\.arker\/config\.json is ignored since .* exists/);
  });
});
