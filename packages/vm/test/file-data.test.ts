import { describe, expect, it, vi } from "vitest";
import { toBytes } from "../src/support/file-data";

// What writeFile accepts as data (FileData), each case a surviving mutant (TESTING.md).

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

async function refusal(data: unknown): Promise<string> {
  const error = await toBytes(data as never).then(
    () => {
      throw new Error("expected a bad_request");
    },
    (reason: Error & { code?: string }) => reason,
  );
  expect(error.code).toBe("bad_request");
  return error.message;
}

describe("toBytes", () => {
  it("reads a Blob, a ReadableStream and an async iterable", async () => {
    expect(text(await toBytes(new Blob(["bl", "ob"])))).toBe("blob");
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("str"));
        controller.enqueue(new TextEncoder().encode("eam"));
        controller.close();
      },
    });
    expect(text(await toBytes(stream))).toBe("stream");
    async function* chunks() {
      yield new TextEncoder().encode("it");
      yield new TextEncoder().encode("er");
    }
    expect(text(await toBytes(chunks()))).toBe("iter");
  });

  it("uses a single chunk as it is, without a copy", async () => {
    const only = new TextEncoder().encode("one");
    async function* one() {
      yield only;
    }
    expect(await toBytes(one())).toBe(only);
  });

  it("refuses anything else with bad_request, naming what it takes", async () => {
    for (const bad of [null, {}, 7, { getReader: 1 }]) {
      expect(await refusal(bad)).toBe(
        "bad_request: file data must be a string, bytes, a Blob, a ReadableStream or an AsyncIterable<Uint8Array>",
      );
    }
  });

  it("refuses a chunk that is not bytes, and tells the source to stop", async () => {
    let stopped = false;
    async function* strings() {
      try {
        yield "text" as unknown as Uint8Array;
        yield new Uint8Array(1);
      } finally {
        stopped = true;
      }
    }
    expect(await refusal(strings())).toBe(
      "bad_request: stream chunks must be Uint8Array (or Buffer)",
    );
    await vi.waitFor(() => expect(stopped).toBe(true), { timeout: 2_000 });
  });

  it("stops listening to the caller's signal once the data is read", async () => {
    for (const data of [
      (async function* () {
        yield new Uint8Array(1);
      })(),
      new Blob(["x"]).stream(),
    ]) {
      const signal = new AbortController().signal;
      const added = vi.spyOn(signal, "addEventListener");
      const removed = vi.spyOn(signal, "removeEventListener");
      await toBytes(data, signal);
      expect(added).toHaveBeenCalled();
      for (const [type, listener] of added.mock.calls) {
        expect(removed).toHaveBeenCalledWith(type, listener);
      }
    }
  });
});
