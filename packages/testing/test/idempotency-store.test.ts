import { describe, expect, it } from "vitest";
import type { FakeResponse } from "../src/http/http-types.js";
import { IDEMPOTENCY_TTL_MS, IdempotencyStore } from "../src/http/idempotency.js";

const HOUR = 60 * 60 * 1000;

function answer(text: string): FakeResponse {
  return { status: 200, headers: { "content-type": "application/json" }, body: Buffer.from(text) };
}

/** A store on a clock the test moves, and a way to send one request under a key. */
function storeAt(start = 0) {
  let now = start;
  const store = new IdempotencyStore(() => now);
  let handled = 0;
  const send = (key: string, body = "{}", route = "createRun") =>
    store.run(
      "org_test",
      route,
      key,
      "/v1/vms/vm_1/runs",
      body,
      () => answer(`#${++handled}`),
      () => {},
    );
  return {
    store,
    send,
    handled: () => handled,
    setNow: (ms: number) => {
      now = ms;
    },
  };
}

describe("idempotency store expiry", () => {
  it("forgets answers once their 24 h are over, oldest first, on the next request", () => {
    const fake = storeAt();
    fake.send("key-a");
    fake.setNow(HOUR);
    fake.send("key-b");
    fake.send("key-c", "{}", "deleteVm");
    expect(fake.store.size).toBe(3);
    fake.setNow(IDEMPOTENCY_TTL_MS - 1);
    fake.send("key-d");
    expect(fake.store.size).toBe(4);
    fake.setNow(IDEMPOTENCY_TTL_MS);
    fake.send("key-e");
    // key-a (made at 0) is gone; key-b and key-c (made at 1 h) are not yet.
    expect(fake.store.size).toBe(4);
    fake.setNow(IDEMPOTENCY_TTL_MS + HOUR);
    fake.send("key-f");
    // key-b and key-c went, in both routes' maps.
    expect(fake.store.size).toBe(3);
  });

  it("replays a live key and handles an expired one again, which then lives a new 24 h", () => {
    const fake = storeAt();
    const first = fake.send("key-a") as FakeResponse;
    fake.setNow(HOUR);
    fake.send("key-b");
    const replay = fake.send("key-a") as FakeResponse;
    expect(Buffer.from(replay.body).toString()).toBe(Buffer.from(first.body).toString());
    expect(fake.handled()).toBe(2);
    fake.setNow(IDEMPOTENCY_TTL_MS);
    const again = fake.send("key-a") as FakeResponse;
    expect(Buffer.from(again.body).toString()).toBe("#3");
    // key-a now expires after key-b: moving past key-b's end keeps it.
    fake.setNow(IDEMPOTENCY_TTL_MS + HOUR);
    fake.send("key-c");
    expect(fake.store.size).toBe(2);
    expect(Buffer.from((fake.send("key-a") as FakeResponse).body).toString()).toBe("#3");
  });

  it("clear forgets everything, and later keys expire as usual", () => {
    const fake = storeAt();
    fake.send("key-a");
    fake.store.clear();
    expect(fake.store.size).toBe(0);
    fake.setNow(IDEMPOTENCY_TTL_MS + HOUR);
    fake.send("key-b");
    fake.setNow(2 * IDEMPOTENCY_TTL_MS + HOUR);
    fake.send("key-c");
    expect(fake.store.size).toBe(1);
  });
});

describe("idempotency store answers", () => {
  it("does not remember a 5xx answer, given at once or later: the retry is handled again", async () => {
    const store = new IdempotencyStore(() => 0);
    let handled = 0;
    const failing = (): FakeResponse => ({
      status: 500,
      headers: { "content-type": "application/json" },
      body: Buffer.from(`#${++handled}`),
    });
    store.run("org_test", "createRun", "key-5xx", "/p", "{}", failing, () => {});
    store.run("org_test", "createRun", "key-5xx", "/p", "{}", failing, () => {});
    expect(handled).toBe(2);
    await store.run(
      "org_test",
      "deleteVm",
      "key-later",
      "/p",
      "{}",
      async () => failing(),
      () => {},
    );
    await store.run(
      "org_test",
      "deleteVm",
      "key-later",
      "/p",
      "{}",
      async () => failing(),
      () => {},
    );
    expect(handled).toBe(4);
    expect(store.size).toBe(0);
  });

  it("refuses another request under a live key with a 409 that says why", () => {
    const fake = storeAt();
    fake.send("key-a", '{"command":"true"}');
    expect(() => fake.send("key-a", '{"command":"false"}')).toThrow(
      "Idempotency-Key was already used with a different request",
    );
    expect(fake.handled()).toBe(1);
  });

  it("refuses the same body under a live key on another path (another VM)", () => {
    const store = new IdempotencyStore(() => 0);
    const ok = (): FakeResponse => answer("{}");
    store.run("org_test", "createRun", "key-p", "/v1/vms/vm_1/runs", "{}", ok, () => {});
    expect(() =>
      store.run("org_test", "createRun", "key-p", "/v1/vms/vm_2/runs", "{}", ok, () => {}),
    ).toThrow("Idempotency-Key was already used with a different request");
  });

  it("replays the first answer's status and content type, marked replayed", () => {
    const store = new IdempotencyStore(() => 0);
    const first: FakeResponse = {
      status: 202,
      headers: { "content-type": "application/json" },
      body: Buffer.from('{"state":"running"}'),
    };
    let replays = 0;
    store.run(
      "org_test",
      "createRun",
      "key-202",
      "/p",
      "{}",
      () => first,
      () => replays++,
    );
    const again = store.run(
      "org_test",
      "createRun",
      "key-202",
      "/p",
      "{}",
      () => first,
      () => replays++,
    ) as FakeResponse;
    expect(replays).toBe(1);
    expect(again.status).toBe(202);
    expect(again.headers).toEqual({
      "content-type": "application/json",
      "idempotent-replayed": "true",
    });
    expect(Buffer.from(again.body).toString()).toBe('{"state":"running"}');
  });
});
