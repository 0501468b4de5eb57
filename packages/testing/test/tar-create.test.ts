import { afterEach, describe, expect, it } from "vitest";
import { planCreate } from "../src/engine/tar-create.js";
import { readArchive } from "../src/files/archive.js";
import { forkUbuntu, openClient, type RawClient, run } from "./helpers.js";

// `tar -c` in the fake's shell is written natively (src/engine/tar-create.ts): which
// argument forms it takes, what the archive holds, and that every other form still
// reaches just-bash's own tar.
const clients: RawClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

async function shell() {
  const client = await openClient("in-process");
  clients.push(client);
  const vmId: string = (await forkUbuntu(client)).vm_id;
  const sh = async (command: string) => {
    const { json } = await run(client, vmId, { command });
    return { stdout: json.stdout as string, stderr: json.stderr as string, code: json.exit_code };
  };
  await sh(
    "mkdir -p /s/sub && printf hi > /s/a && chmod 750 /s/a && ln -s a /s/link && printf b > /s/sub/b",
  );
  const archive = async (path: string) => {
    const bytes = client.fake.files(vmId).read(path);
    if (bytes === undefined) throw new Error(`no archive at ${path}`);
    return readArchive(bytes, "tar", 1 << 20);
  };
  return { sh, archive };
}

describe("planCreate: the create forms written natively", () => {
  it.each([
    [["-cf", "out.tar", "-C", "/s", "."], "/w", "out.tar", [{ name: ".", directory: "/s" }]],
    [
      ["cf", "out.tar", "a", "b"],
      "/w",
      "out.tar",
      [
        { name: "a", directory: "/w" },
        { name: "b", directory: "/w" },
      ],
    ],
    [
      ["-c", "-f", "o.tar", "x", "-C", "sub", "y"],
      "/w",
      "o.tar",
      [
        { name: "x", directory: "/w" },
        { name: "y", directory: "/w/sub" },
      ],
    ],
    [["-cfo.tar", "x"], "/", "o.tar", [{ name: "x", directory: "/" }]],
    [["-cf", "o.tar", "c"], "/", "o.tar", [{ name: "c", directory: "/" }]],
    [
      ["--create", "--file=o.tar", "--directory=../d", "x"],
      "/w/v",
      "o.tar",
      [{ name: "x", directory: "/w/d" }],
    ],
    [
      ["--create", "--file", "o.tar", "--directory", "/d", "x"],
      "/",
      "o.tar",
      [{ name: "x", directory: "/d" }],
    ],
  ])("%j in %s", (args, cwd, archive, operands) => {
    expect(planCreate(args, cwd)).toEqual({ archive, operands });
  });

  it.each([
    [["-xf", "o.tar"]],
    [["-tf", "o.tar"]],
    [["-czf", "o.tar", "x"]],
    [["-cvf", "o.tar", "x"]],
    [["--create", "--gzip", "--file=o.tar", "x"]],
    [["-cf", "-", "x"]],
    [["-cf", "o.tar"]],
    [["-f", "o.tar", "x"]],
    [["-c", "x"]],
    [["-cf", "o.tar", "/abs"]],
    [["-cf", "o.tar", ""]],
    [["-cf"]],
    [["--file"]],
    [["cfC", "o.tar", "d", "x"]],
    [["--file=o.tar", "--create", "--gzip", "x", "y"]],
    [["-f", "o.tar", "-cv", "y", "z"]],
    [["x", "-cf", "o.tar"]],
  ])("leaves %j to just-bash", (args) => {
    expect(planCreate(args, "/")).toBeNull();
  });
});

describe("tar -c in a VM", () => {
  it("archives a folder with its modes, contents and symlinks as symlinks", async () => {
    const { sh, archive } = await shell();
    expect(await sh("tar -cf /tmp/s.tar -C /s .")).toEqual({ stdout: "", stderr: "", code: 0 });
    const entries = await archive("/tmp/s.tar");
    // The folder itself ("./") is read as the extraction directory and not listed.
    expect(entries.map((entry) => [entry.kind, entry.name])).toEqual([
      ["file", "a"],
      ["symlink", "link"],
      ["directory", "sub"],
      ["file", "sub/b"],
    ]);
    const [file, link, , inner] = entries;
    expect(file).toMatchObject({ mode: 0o750, content: new TextEncoder().encode("hi") });
    expect(link).toMatchObject({ target: "a" });
    expect(inner).toMatchObject({ content: new TextEncoder().encode("b") });
  });

  it("names entries as the operands were given, relative to the cwd or -C", async () => {
    const { sh } = await shell();
    await sh("cd /s && tar cf /tmp/two.tar a sub/");
    expect((await sh("tar -tf /tmp/two.tar")).stdout).toBe("a\nsub/\nsub/b\n");
    await sh("tar --create --file=/tmp/three.tar --directory=/ s/sub");
    expect((await sh("tar -tf /tmp/three.tar")).stdout).toBe("s/sub/\ns/sub/b\n");
  });

  it("writes an archive that tar -x unpacks to the same files", async () => {
    const { sh } = await shell();
    const copy = await sh(
      "tar -cf /tmp/s.tar -C /s . && mkdir /t && tar -xf /tmp/s.tar -C /t && cat /t/a /t/sub/b /t/link",
    );
    expect(copy).toMatchObject({ code: 0, stdout: "hibhi" });
  });

  it("leaves other forms to just-bash's tar: gzip, and a missing operand's error", async () => {
    const { sh } = await shell();
    expect((await sh("tar -czf /tmp/s.tgz -C /s sub && tar -tzf /tmp/s.tgz")).stdout).toBe(
      "sub/\nsub/b\n",
    );
    const missing = await sh("tar -cf /tmp/n.tar -C /s nope");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nope");
  });
});
