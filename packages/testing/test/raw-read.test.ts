import { INLINE_FILE_LIMIT_BYTES } from "@arker-ai/core/contract";
import { afterEach, describe, expect, it } from "vitest";
import { acceptsBytes } from "../src/routes/file-routes.js";
import { type DoorKind, expectError, forkUbuntu, openClient, type RawClient } from "./helpers.js";

let client: RawClient;
afterEach(async () => {
  await client.close();
});

const BYTES_FIRST = "application/octet-stream, application/json;q=0.9";

function pattern(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 131 + 17) & 0xff;
  return bytes;
}

/** Writes a file through the API (one inline chunk). */
async function put(vmId: string, path: string, content: Uint8Array): Promise<void> {
  const size = content.byteLength;
  const answer = await client.call("POST", `/v1/vms/${vmId}/sync`, {
    body: {
      op: "write",
      writes: [
        {
          path,
          size,
          upload_id: `u_${size}`,
          content: Buffer.from(content).toString("base64"),
          start: 0,
          end: size,
        },
      ],
    },
  });
  if (answer.json?.results?.[0]?.written !== true) throw new Error(JSON.stringify(answer.json));
}

function read(vmId: string, path: string, accept?: string) {
  return client.call("POST", `/v1/vms/${vmId}/sync`, {
    body: { op: "read", path },
    headers: accept === undefined ? {} : { accept },
  });
}

describe.each<DoorKind>(["in-process", "http"])("raw-bytes read (%s door)", (door) => {
  it.each([0, 5, INLINE_FILE_LIMIT_BYTES])(
    "answers an inline file of %i bytes as itself when asked for octet-stream",
    async (size) => {
      client = await openClient(door);
      const vm = await forkUbuntu(client);
      const content = pattern(size);
      await put(vm.vm_id, "/home/user/r.bin", content);
      const answer = await read(vm.vm_id, "/home/user/r.bin", BYTES_FIRST);
      expect(answer.status).toBe(200);
      expect(answer.headers["content-type"]).toBe("application/octet-stream");
      expect(answer.headers["content-length"]).toBe(String(size));
      expect(typeof answer.headers["x-request-id"]).toBe("string");
      expect(Buffer.from(answer.bytes).equals(Buffer.from(content))).toBe(true);
    },
  );

  it("answers JSON without the header, and a signed URL above 4 MiB even with it", async () => {
    client = await openClient(door);
    const vm = await forkUbuntu(client);
    await put(vm.vm_id, "/home/user/t.txt", new TextEncoder().encode("hello\n"));
    await put(vm.vm_id, "/home/user/big.bin", pattern(INLINE_FILE_LIMIT_BYTES + 1));
    const json = await read(vm.vm_id, "/home/user/t.txt");
    expect(json.headers["content-type"]).toBe("application/json");
    expect(json.json).toMatchObject({ ok: true, size: 6, content: "hello\n", encoding: "utf8" });
    const big = await read(vm.vm_id, "/home/user/big.bin", BYTES_FIRST);
    expect(big.headers["content-type"]).toBe("application/json");
    expect(big.json).toMatchObject({ size: INLINE_FILE_LIMIT_BYTES + 1, method: "GET" });
    expect(typeof big.json.presigned_url).toBe("string");
  });

  it("answers a missing file, a directory and a write with JSON as before", async () => {
    client = await openClient(door);
    const vm = await forkUbuntu(client);
    expectError(await read(vm.vm_id, "/home/user/nope", BYTES_FIRST), 404, "not_found");
    expectError(await read(vm.vm_id, "/home/user", BYTES_FIRST), 400, "bad_request");
    const write = await client.call("POST", `/v1/vms/${vm.vm_id}/sync`, {
      body: {
        op: "write",
        writes: [{ path: "/w", size: 1, upload_id: "u1", content: "eA==", start: 0, end: 1 }],
      },
      headers: { accept: BYTES_FIRST },
    });
    expect(write.headers["content-type"]).toBe("application/json");
    expect(write.json.results[0]).toMatchObject({ complete: true, written: true });
  });
});

describe("acceptsBytes", () => {
  it.each([
    ["application/octet-stream", true],
    [BYTES_FIRST, true],
    ["application/json, Application/Octet-Stream", true],
    ["application/octet-stream;q=0.5", true],
    ["application/octet-stream;q=0", false],
    ["application/json", false],
    ["*/*", false],
    ["", false],
  ])("%j → %s", (accept, expected) => {
    expect(acceptsBytes(accept)).toBe(expected);
  });
});
