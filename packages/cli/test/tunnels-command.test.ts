import { createFakeArker, type FakeArker } from "@arker-ai/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFor, temporaryHome } from "./harness";

let fake: FakeArker;
let cli: ReturnType<typeof cliFor>;

beforeAll(async () => {
  fake = await createFakeArker({ listen: true, python: false, clock: "manual" });
  cli = cliFor({ url: fake.url!, apiKey: fake.apiKey }, await temporaryHome());
});

afterAll(async () => {
  await fake?.close();
});

async function ok(args: string[]) {
  const result = await cli(args);
  expect(result.code, `arker ${args.join(" ")}: ${result.stderr}`).toBe(0);
  return result;
}

describe("arker tunnels", () => {
  it("create prints the url that serves the port; ls, get and rm, human and --json", async () => {
    const vm = (await ok(["fork", "ubuntu", "--json"])).json<{ vm_id: string }>().vm_id;
    fake.tunnels.serve(vm, 8080, () => new Response("served by 8080"));
    const url = (await ok(["tunnels", "create", vm, "8080", "--visibility", "public"])).text.trim();
    expect(url).toBe(`${fake.url}/_tunnels/${vm}/8080/`);
    expect(await (await fetch(url)).text()).toBe("served by 8080");
    const tcp = (await ok(["tunnels", "create", vm, "22", "--protocol", "tcp", "--json"])).json();
    expect(tcp).toMatchObject({ port: 22, protocol: "tcp", visibility: "private", state: "open" });

    const table = (await ok(["tunnels", "ls", vm])).text.trimEnd().split("\n");
    expect(table[0]).toMatch(/^PORT\s+STATE\s+VISIBILITY\s+PROTOCOL\s+URL$/);
    expect(table.slice(1).map((line) => line.split(/\s+/)[0])).toEqual(["22", "8080"]);
    const listed = (await ok(["tunnels", "ls", vm, "--limit", "1", "--all", "--json"])).json<{
      tunnels: Array<{ port: number }>;
      nextCursor: null;
    }>();
    expect(listed.tunnels.map((tunnel) => tunnel.port)).toEqual([22, 8080]);

    expect((await ok(["tunnels", "get", vm, "8080"])).text).toMatch(/^vm +vm_\w+\nport +8080\n/);
    expect((await ok(["tunnels", "get", vm, "8080", "--json"])).json()).toMatchObject({ url });

    expect((await ok(["tunnels", "rm", vm, "8080", "22", "--yes"])).text).toBe("8080\n22\n");
    expect((await cli(["tunnels", "get", vm, "8080"])).code).toBe(5);
  });

  it("refuses a bad port, visibility, protocol or state as usage (exit 2) before sending", async () => {
    const before = fake.requests.length;
    for (const args of [
      ["tunnels", "create", "vm_x", "0"],
      ["tunnels", "create", "vm_x", "http"],
      ["tunnels", "create", "vm_x", "80", "--visibility", "world"],
      ["tunnels", "create", "vm_x", "80", "--protocol", "udp"],
      ["tunnels", "get", "vm_x", "65536"],
      ["tunnels", "rm", "vm_x", "80", "x", "--yes"],
      ["tunnels", "ls", "vm_x", "--state", "gone"],
    ]) {
      const result = await cli(args);
      expect(result.code, args.join(" ")).toBe(2);
    }
    expect(fake.requests.length).toBe(before);
    expect((await cli(["tunnels", "get", "vm_x", "0"])).stderr).toMatch(
      /^arker: usage: <port> must be/m,
    );
  });

  it("is in --help and in the completion scripts", async () => {
    expect((await ok(["--help"])).text).toMatch(/tunnels\s+forward ports of a VM to URLs/);
    expect((await ok(["tunnels", "create", "--help"])).text).toContain("--visibility <visibility>");
    const bash = (await ok(["completion", "bash"])).text;
    expect(bash).toContain("tunnels");
    expect(bash).toContain("--protocol");
  });
});
