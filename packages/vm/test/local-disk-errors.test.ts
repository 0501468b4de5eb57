import * as realSyncFs from "node:fs";
import * as realFs from "node:fs/promises";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ArkerClient, ArkerError } from "@arker-ai/core";
import { createFakeArker } from "@arker-ai/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { VmClient } from "../src/index";

// Reading a file the caller may not read cannot be staged as root (root reads anything),
// so opening a file named `unreadable*` fails as it would for another user: through
// `node:fs/promises` (files above 64 KiB) and `node:fs` (small files, synchronous calls).
const refusal = vi.hoisted(() => (path: unknown): NodeJS.ErrnoException | null => {
  if (!String(path).includes("unreadable")) return null;
  const error: NodeJS.ErrnoException = new Error(
    `EACCES: permission denied, open '${String(path)}'`,
  );
  error.code = "EACCES";
  error.syscall = "open";
  return error;
});

vi.mock("node:fs/promises", async (original) => {
  const fs = await original<typeof import("node:fs/promises")>();
  const open: typeof fs.open = (path, ...rest) => {
    const error = refusal(path);
    return error ? Promise.reject(error) : fs.open(path, ...rest);
  };
  return { ...fs, open, default: { ...fs, open } };
});

vi.mock("node:fs", async (original) => {
  const fs = await original<typeof import("node:fs")>();
  const openSync: typeof fs.openSync = (path, ...rest) => {
    const error = refusal(path);
    if (error) throw error;
    return fs.openSync(path, ...rest);
  };
  const readFileSync = ((path: Parameters<typeof fs.readFileSync>[0], ...rest: never[]) => {
    const error = refusal(path);
    if (error) throw error;
    return fs.readFileSync(path, ...rest);
  }) as typeof fs.readFileSync;
  return { ...fs, openSync, readFileSync, default: { ...fs, openSync, readFileSync } };
});

const closing: Array<{ close(): Promise<void> }> = [];
const folders: string[] = [];
afterEach(async () => {
  await Promise.all(closing.splice(0).map((c) => c.close()));
  await Promise.all(folders.splice(0).map((f) => rm(f, { recursive: true, force: true })));
});

async function forkedVm() {
  const fake = await createFakeArker({ python: false });
  const client = new ArkerClient({ region: "us-west-2", ...fake.clientOptions, logLevel: "off" });
  closing.push(client, fake);
  return { fake, vm: await new VmClient(client).fork("ubuntu") };
}

async function scratch(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), "arker-local-errors-"));
  folders.push(folder);
  return folder;
}

/** The error a promise rejects with. */
async function failureOf(promise: Promise<unknown>): Promise<ArkerError> {
  const error = await promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ArkerError);
  return error as ArkerError;
}

describe("local disk failures are ArkerErrors that name the system's reason", () => {
  it.each([
    ["a small file", 5],
    ["a file above 64 KiB", 70 * 1024],
  ])(
    "upload: %s in the folder that cannot be read is bad_request and nothing is sent",
    async (_, size) => {
      const { fake, vm } = await forkedVm();
      const folder = await scratch();
      await writeFile(join(folder, "ok.txt"), "fine\n");
      await writeFile(join(folder, "unreadable.txt"), "s".repeat(size));
      const sentBefore = fake.requests.length;

      const error = await failureOf(vm.upload(folder, "/home/user/app"));
      expect(error.code).toBe("bad_request");
      expect(error.status).toBe(400);
      expect(error.message).toBe(
        `bad_request: upload stopped on the local disk: EACCES: permission denied, open '${join(folder, "unreadable.txt")}'`,
      );
      expect((error.cause as NodeJS.ErrnoException).code).toBe("EACCES");
      expect(fake.requests.length).toBe(sentBefore);
    },
  );

  it("download of a folder into a path below a regular file is bad_request naming ENOTDIR", async () => {
    const { vm } = await forkedVm();
    await vm.writeFiles([
      { path: "/srv/app/a.txt", data: "a" },
      { path: "/srv/app/b.txt", data: "b" },
    ]);
    const blocker = join(await scratch(), "plain-file");
    await writeFile(blocker, "not a folder");

    const error = await failureOf(vm.download("/srv/app", join(blocker, "copy")));
    expect(error.code).toBe("bad_request");
    expect(error.message).toMatch(/^bad_request: download stopped on the local disk: ENOTDIR/);
    expect((error.cause as NodeJS.ErrnoException).code).toBe("ENOTDIR");
    // The VM's temporary archive is removed all the same.
    expect((await vm.exec("ls -a /tmp")).stdout).not.toContain(".arker-download");
  });

  it("download of a file into a path below a regular file is bad_request naming ENOTDIR", async () => {
    const { vm } = await forkedVm();
    await vm.writeFiles([{ path: "/srv/one.txt", data: "one" }]);
    const blocker = join(await scratch(), "plain-file");
    await writeFile(blocker, "not a folder");

    const error = await failureOf(vm.download("/srv/one.txt", join(blocker, "one.txt")));
    expect(error.code).toBe("bad_request");
    expect(error.message).toMatch(/^bad_request: download stopped on the local disk: ENOTDIR/);
  });

  it("an ArkerError from the service is not rewrapped", async () => {
    const { vm } = await forkedVm();
    const error = await failureOf(vm.download("/nope", join(await scratch(), "x")));
    expect(error.code).toBe("not_found");
  });

  it("the mocks are what they claim: open of a readable file still works", async () => {
    const path = join(await scratch(), "readable.txt");
    await writeFile(path, "x");
    await (await realFs.open(path, "r")).close();
    realSyncFs.closeSync(realSyncFs.openSync(path, "r"));
    expect(realSyncFs.readFileSync(path, "utf8")).toBe("x");
    const unreadable = join(await scratch(), "unreadable");
    await expect(realFs.open(unreadable, "r")).rejects.toMatchObject({ code: "EACCES" });
    expect(() => realSyncFs.openSync(unreadable, "r")).toThrow(/EACCES/);
    expect(() => realSyncFs.readFileSync(unreadable)).toThrow(/EACCES/);
  });
});
