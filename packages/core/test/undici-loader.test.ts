import { describe, expect, it } from "vitest";
import { loadUndici, undiciIfLoaded } from "../src/undici-loader";

// undici is loaded on the first request, once. (Whether anything loaded it before this
// test depends on how the runner shares modules between files, so that is not asserted.)
describe("loadUndici", () => {
  it("loads undici once for concurrent callers and keeps it for later requests", async () => {
    const first = loadUndici();
    expect(loadUndici()).toBe(first);
    const undici = await first;
    expect(typeof undici.request).toBe("function");
    expect(typeof undici.Agent).toBe("function");
    expect(undiciIfLoaded()).toBe(undici);
    expect(await loadUndici()).toBe(undici);
  });
});
