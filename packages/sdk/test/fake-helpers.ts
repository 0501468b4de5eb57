import { createFakeArker, type FakeArker, type FakeArkerOptions } from "@arker-ai/testing";
import { Arker, type ArkerOptions } from "../src/index";

/** The two doors of the fake: the in-process dispatcher and real HTTP on loopback. */
export const DOORS = [
  ["in-process", false],
  ["listening", true],
] as const;

/** A fake Arker and an `Arker` pointed at it through the chosen door. */
export async function connect(
  listen: boolean,
  fakeOptions: FakeArkerOptions = {},
  arkerOptions: ArkerOptions = {},
): Promise<{ fake: FakeArker; ar: Arker; close(): Promise<void> }> {
  const fake = await createFakeArker({ python: true, ...fakeOptions, listen });
  if (listen && fake.url === undefined) throw new Error("the fake did not listen");
  const ar = new Arker({
    region: "us-west-2",
    ...fake.clientOptions,
    retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 10 },
    ...arkerOptions,
  });
  return {
    fake,
    ar,
    async close() {
      await ar.close();
      await fake.close();
    },
  };
}

export { rejection } from "../../../test-support/local-server";

/** Deterministic, non-repeating-looking bytes. */
export function pattern(size: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

/** Byte-for-byte equality without a diff of megabytes on failure. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

/** UTF-8 text of bytes. */
export const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
