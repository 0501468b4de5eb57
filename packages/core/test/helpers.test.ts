import { getEventListeners } from "node:events";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AttemptDeadline } from "../src/deadline";
import { Page } from "../src/index";
import { createRedactor, REDACTED, redactedSnippet, SNIPPET_CHARS } from "../src/redact";
import { sleep } from "../src/sleep";

// The small helpers the client is built on, each pinned where the client's own tests
// cannot see a difference (found by mutation testing, TESTING.md).
describe("createRedactor", () => {
  it("ignores empty secrets instead of splitting the text between every character", () => {
    expect(createRedactor(["", "k3y"])("a k3y b")).toBe(`a ${REDACTED} b`);
    expect(createRedactor([""])("plain text")).toBe("plain text");
  });

  it.each([
    ["token first", ["tok_secret", "https://blob.test/x?sig=tok_secret"]],
    ["URL first", ["https://blob.test/x?sig=tok_secret", "tok_secret"]],
  ])("replaces a longer secret whole before a shorter one inside it (%s)", (_name, secrets) => {
    expect(createRedactor(secrets)("GET https://blob.test/x?sig=tok_secret failed")).toBe(
      `GET ${REDACTED} failed`,
    );
  });

  it("cuts a snippet after redacting, at SNIPPET_CHARS characters", () => {
    const redact = createRedactor(["s3cret"]);
    const snippet = redactedSnippet(
      `${"x".repeat(SNIPPET_CHARS - 3)}s3cret${"y".repeat(500)}`,
      redact,
    );
    expect(snippet).toHaveLength(SNIPPET_CHARS);
    expect(snippet.endsWith("[RE")).toBe(true);
  });
});

describe("sleep", () => {
  it("leaves no abort listener behind once it has waited", async () => {
    const controller = new AbortController();
    for (let i = 0; i < 20; i++) await sleep(0, controller.signal);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("rejects with the signal's reason when it aborts mid-wait", async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    const reason = new Error("stop");
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
  });
});

describe("Page", () => {
  const never = () => Promise.reject(new Error("no further page"));

  it("has a next page only with a cursor", async () => {
    expect(new Page([1], null, never).hasNextPage()).toBe(false);
    expect(await new Page([1], null, never).nextPage()).toBeNull();
    expect(new Page([1], "c1", never).hasNextPage()).toBe(true);
  });

  it("quotes at most 100 characters of a cursor that came back", async () => {
    const cursor = "c".repeat(5_000);
    const page: Page<number> = new Page([1], cursor, async () => page);
    const seen: number[] = [];
    const error = await (async () => {
      try {
        for await (const item of page) seen.push(item);
      } catch (caught) {
        return caught as Error;
      }
      throw new Error("expected the walk to fail");
    })();
    expect(seen).toEqual([1, 1]);
    expect(error.message).toMatch(/^internal: pagination did not advance: cursor "c+ came back$/);
    expect(error.message.length).toBeLessThan(200);
  });
});

describe("AttemptDeadline", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("aborts after its time with a message naming it, and says it timed out", () => {
    vi.useFakeTimers();
    const deadline = new AttemptDeadline(50);
    expect(deadline.timedOut).toBe(false);
    vi.advanceTimersByTime(49);
    expect(deadline.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.timedOut).toBe(true);
    expect((deadline.signal.reason as Error).message).toBe("attempt timed out after 50 ms");
  });

  it("touch() restarts the timer and clear() stops it", () => {
    vi.useFakeTimers();
    const deadline = new AttemptDeadline(50);
    vi.advanceTimersByTime(40);
    deadline.touch();
    vi.advanceTimersByTime(40);
    expect(deadline.signal.aborted).toBe(false);
    deadline.clear();
    vi.advanceTimersByTime(1_000);
    expect(deadline.signal.aborted).toBe(false);
    expect(deadline.timedOut).toBe(false);
  });

  it("follows the caller's signal without calling it a timeout", () => {
    vi.useFakeTimers();
    const caller = new AbortController();
    const deadline = new AttemptDeadline(50, caller.signal);
    caller.abort(new Error("user"));
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.timedOut).toBe(false);
    deadline.clear();
  });
});
