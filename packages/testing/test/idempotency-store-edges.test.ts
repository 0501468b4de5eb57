import { describe, expect, it } from "vitest";
import type { FakeResponse } from "../src/http/http-types.js";
import {
  IDEMPOTENCY_TTL_MS,
  IdempotencyStore,
  parseIdempotencyKey,
} from "../src/http/idempotency.js";
import { ApiError } from "../src/support/errors.js";

// The idempotency store's less common paths: a retry that arrives while the first request is
// still handled, a first request that fails, long requests (kept as a digest), a sweep over
// several routes, and the key's own check.

const HOUR = 60 * 60 * 1000;

function answer(status: number, text: string, contentType?: string): FakeResponse {
  const headers: Record<string, string> = {};
  if (contentType !== undefined) headers["content-type"] = contentType;
  return { status, headers, body: Buffer.from(text) };
}

const bodyText = (response: FakeResponse) => Buffer.from(response.body).toString();

/** A handler whose answer the test gives later. */
function later() {
  let give!: (response: FakeResponse) => void;
  let fail!: (error: unknown) => void;
  const promise = new Promise<FakeResponse>((resolve, reject) => {
    give = resolve;
    fail = reject;
  });
  let calls = 0;
  return {
    handle: () => {
      calls++;
      return promise;
    },
    give,
    fail,
    calls: () => calls,
  };
}

describe("parseIdempotencyKey", () => {
  it("passes no key and a valid key through, and refuses a bad one with a 400", () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
    expect(parseIdempotencyKey("key-1")).toBe("key-1");
    let thrown: unknown;
    try {
      parseIdempotencyKey("has space");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    expect(thrown).toMatchObject({
      code: "bad_request",
      status: 400,
      message: "idempotencyKey must be 1-64 printable ASCII characters without spaces",
    });
  });
});

describe("a retry while the first request is still handled", () => {
  it("waits for the first answer and gets it replayed, the handler run once", async () => {
    const store = new IdempotencyStore(() => 0);
    const first = later();
    let replays = 0;
    const one = store.run("org", "createRun", "k", "/p", "{}", first.handle, () => replays++);
    const two = store.run("org", "createRun", "k", "/p", "{}", first.handle, () => replays++);
    expect(replays).toBe(0);
    first.give(answer(202, "running", "application/json"));
    const [original, replay] = (await Promise.all([one, two])) as FakeResponse[];
    expect(first.calls()).toBe(1);
    expect(replays).toBe(1);
    expect(original!.headers).toStrictEqual({ "content-type": "application/json" });
    expect(replay!.status).toBe(202);
    expect(replay!.headers).toStrictEqual({
      "content-type": "application/json",
      "idempotent-replayed": "true",
    });
    expect(bodyText(replay!)).toBe("running");
    // And once answered, a third is replayed at once from what was remembered.
    const three = store.run("org", "createRun", "k", "/p", "{}", first.handle, () => replays++);
    expect(three).not.toBeInstanceOf(Promise);
    expect((three as FakeResponse).status).toBe(202);
    expect(bodyText(three as FakeResponse)).toBe("running");
    expect(replays).toBe(2);
  });

  it("gets even a 5xx first answer, which is then forgotten", async () => {
    const store = new IdempotencyStore(() => 0);
    const first = later();
    const one = store.run("org", "createRun", "k", "/p", "{}", first.handle, () => {});
    const two = store.run("org", "createRun", "k", "/p", "{}", first.handle, () => {});
    first.give(answer(503, "busy"));
    expect(((await two) as FakeResponse).status).toBe(503);
    expect(((await one) as FakeResponse).status).toBe(503);
    expect(store.size).toBe(0);
  });
});

describe("a first request that fails", () => {
  it("passes its error on and is forgotten, so the retry is handled again", async () => {
    const store = new IdempotencyStore(() => 0);
    const first = later();
    const one = store.run("org", "createRun", "k", "/p", "{}", first.handle, () => {});
    first.fail(new Error("handler broke"));
    await expect(one).rejects.toThrow("handler broke");
    expect(store.size).toBe(0);
    const retry = store.run(
      "org",
      "createRun",
      "k",
      "/p",
      "{}",
      () => answer(200, "ok"),
      () => {},
    );
    expect(bodyText(retry as FakeResponse)).toBe("ok");
  });

  it("once expired and replaced by a new request under its key, does not forget the new one", async () => {
    let now = 0;
    const store = new IdempotencyStore(() => now);
    const slow = later();
    const one = store.run("org", "createRun", "k", "/p", "{}", slow.handle, () => {});
    now = IDEMPOTENCY_TTL_MS;
    store.run(
      "org",
      "createRun",
      "k",
      "/p",
      "{}",
      () => answer(200, "second"),
      () => {},
    );
    slow.give(answer(500, "late failure"));
    await one;
    let handled = false;
    const replay = store.run(
      "org",
      "createRun",
      "k",
      "/p",
      "{}",
      () => {
        handled = true;
        return answer(200, "third");
      },
      () => {},
    ) as FakeResponse;
    expect(handled).toBe(false);
    expect(bodyText(replay)).toBe("second");
  });
});

describe("replays", () => {
  it("of an answer with no content type carry none", () => {
    const store = new IdempotencyStore(() => 0);
    const send = () =>
      store.run(
        "org",
        "deleteVm",
        "k",
        "/p",
        "",
        () => answer(204, ""),
        () => {},
      );
    send();
    const replay = send();
    expect((replay as FakeResponse).headers).toStrictEqual({ "idempotent-replayed": "true" });
  });

  it("of a long request match its path and body whole, not a prefix", () => {
    const store = new IdempotencyStore(() => 0);
    const long = `{"command":"${"x".repeat(300)}"}`;
    let handled = 0;
    const send = (path: string, body: string) =>
      store.run(
        "org",
        "createRun",
        "k",
        path,
        body,
        () => answer(200, `#${++handled}`),
        () => {},
      );
    send("/v1/vms/vm_1/runs", long);
    expect(bodyText(send("/v1/vms/vm_1/runs", long) as FakeResponse)).toBe("#1");
    expect(() => send("/v1/vms/vm_1/runs", `${long} `)).toThrow(
      "Idempotency-Key was already used with a different request",
    );
    expect(() => send("/v1/vms/vm_2/runs", long)).toThrow(
      "Idempotency-Key was already used with a different request",
    );
    expect(handled).toBe(1);
  });
});

describe("the sweep", () => {
  it("runs again at the earliest expiry over every route, whichever route it is in", () => {
    let now = 0;
    const store = new IdempotencyStore(() => now);
    const send = (route: string, key: string) =>
      store.run(
        "org",
        route,
        key,
        "/p",
        "{}",
        () => answer(200, key),
        () => {},
      );
    send("createRun", "a");
    now = 2 * HOUR;
    send("deleteVm", "b");
    now = 3 * HOUR;
    send("createRun", "c");
    // At a's expiry, a goes; the earliest live ones are then b (deleteVm) and c (createRun).
    now = IDEMPOTENCY_TTL_MS;
    send("other", "x");
    expect(store.size).toBe(3);
    // At b's expiry (the earlier of the two), b goes.
    now = IDEMPOTENCY_TTL_MS + 2 * HOUR;
    send("other", "y");
    expect(store.size).toBe(3);
    now = IDEMPOTENCY_TTL_MS + 3 * HOUR;
    send("other", "z");
    expect(store.size).toBe(3);
  });
});
