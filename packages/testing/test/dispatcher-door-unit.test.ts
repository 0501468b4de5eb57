import { Readable } from "node:stream";
import { type Dispatcher, errors } from "undici";
import { describe, expect, it } from "vitest";
import { FakeDispatcher } from "../src/doors/dispatcher-door.js";
import { jsonResponse } from "../src/http/http-types.js";
import { StubPipeline } from "./stub-pipeline.js";

// The in-process door over a stub pipeline: exactly what it hands the pipeline (headers of
// every shape, body, cap, upgrade) and how it answers each handler style (resets, errors,
// HEAD, status texts, the legacy callbacks).

const ORIGIN = "http://arker-fake.invalid";

/** What a handler heard, in order. */
interface Heard {
  events: string[];
  status: number;
  text: string;
  headers: Record<string, string>;
  body: string;
  error: Error | undefined;
}

/** What a handler has heard before the door calls it. */
function nothingHeard(): Heard {
  return { events: [], status: 0, text: "", headers: {}, body: "", error: undefined };
}

/** Dispatches with a controller-style handler and collects what it hears. */
function dispatchModern(door: Dispatcher, options: Dispatcher.DispatchOptions): Promise<Heard> {
  return new Promise((resolve) => {
    const heard = nothingHeard();
    door.dispatch(options, {
      onRequestStart: () => heard.events.push("start"),
      onResponseStart: (_controller, status, headers, text) => {
        heard.events.push("response");
        heard.status = status;
        heard.text = text ?? "";
        heard.headers = headers as Record<string, string>;
      },
      onResponseData: (_controller, chunk) => {
        heard.events.push("data");
        heard.body += chunk.toString();
      },
      onResponseEnd: () => {
        heard.events.push("end");
        resolve(heard);
      },
      onResponseError: (_controller, error) => {
        heard.events.push("error");
        heard.error = error;
        resolve(heard);
      },
    });
  });
}

/** Dispatches with a legacy handler (as `request()` does) and collects what it hears. */
function dispatchLegacy(door: Dispatcher, options: Dispatcher.DispatchOptions): Promise<Heard> {
  return new Promise((resolve) => {
    const heard = nothingHeard();
    door.dispatch(options, {
      onConnect: () => heard.events.push("connect"),
      onResponseStarted: () => heard.events.push("started"),
      onHeaders: (status: number, raw: Buffer[], _resume: unknown, text: string) => {
        heard.events.push("headers");
        heard.status = status;
        heard.text = text;
        for (let index = 0; index + 1 < raw.length; index += 2)
          heard.headers[raw[index]!.toString()] = raw[index + 1]!.toString();
        return true;
      },
      onData: (chunk: Buffer) => {
        heard.events.push("data");
        heard.body += chunk.toString();
        return true;
      },
      onComplete: (trailers: unknown[]) => {
        heard.events.push(`complete ${JSON.stringify(trailers)}`);
        resolve(heard);
      },
      onError: (error: Error) => {
        heard.events.push("error");
        heard.error = error;
        resolve(heard);
      },
    } as unknown as Dispatcher.DispatchHandler);
  });
}

/** The headers the pipeline is handed for `headers`. */
async function headersFor(headers: unknown): Promise<Record<string, string>> {
  const pipeline = new StubPipeline();
  const door = new FakeDispatcher(pipeline);
  const heard = await dispatchLegacy(door, {
    origin: ORIGIN,
    method: "GET",
    path: "/",
    headers: headers as Dispatcher.DispatchOptions["headers"],
  });
  expect(heard.error).toBeUndefined();
  return pipeline.requests[0]!.headers;
}

describe("headers handed to the pipeline", () => {
  it("take every shape undici allows, names lower-cased", async () => {
    expect(await headersFor(undefined)).toEqual({});
    expect(await headersFor(null)).toEqual({});
    expect(await headersFor([])).toEqual({});
    expect(await headersFor({ "x-a": "1" })).toEqual({ "x-a": "1" });
    expect(await headersFor(["X-A", "1", "x-b", "2"])).toEqual({ "x-a": "1", "x-b": "2" });
    expect(
      await headersFor([
        ["X-A", "1"],
        ["x-b", "2"],
      ]),
    ).toEqual({ "x-a": "1", "x-b": "2" });
    expect(await headersFor(new Map([["X-A", "1"]]))).toEqual({ "x-a": "1" });
    expect(await headersFor({ "X-A": "1", "x-b": "2" })).toEqual({ "x-a": "1", "x-b": "2" });
    expect(await headersFor({ "X-A": "1" })).toEqual({ "x-a": "1" });
  });

  it("turn a number into text, join an array value and a repeated name with a comma", async () => {
    expect(await headersFor({ "x-n": 5 })).toEqual({ "x-n": "5" });
    expect(await headersFor({ "x-a": ["1", "2"] })).toEqual({ "x-a": "1, 2" });
    expect(await headersFor(["x-a", "1", "X-A", "2", "x-a", "3"])).toEqual({ "x-a": "1, 2, 3" });
  });

  it("skip an undefined or null value, and a flat array's last name without a value", async () => {
    expect(await headersFor(["x-a", undefined, "x-a", "1", "x-b", null])).toEqual({ "x-a": "1" });
    expect(await headersFor({ "X-A": undefined, "x-b": "2" })).toEqual({ "x-b": "2" });
    expect(await headersFor(["x-a", "1", "x-b"])).toEqual({ "x-a": "1" });
  });
});

describe("requests handed to the pipeline", () => {
  it("carry the method, path, whole body and origin, and no cap or upgrade unless set", async () => {
    const pipeline = new StubPipeline();
    const door = new FakeDispatcher(pipeline, 8);
    await dispatchLegacy(door, { origin: ORIGIN, method: "PUT", path: "/p?q=1", body: "12345678" });
    await dispatchLegacy(door, { origin: ORIGIN, method: "GET", path: "/p" });
    const [put, get] = pipeline.requests;
    // The bytes matter, not their class (a string body arrives as a pooled Buffer).
    expect({ ...put, body: [...put!.body!] }).toEqual({
      method: "PUT",
      target: "/p?q=1",
      headers: {},
      body: [...Buffer.from("12345678")],
      origin: ORIGIN,
    });
    expect(get!.body).toBeNull();
    expect("bodyTooLarge" in put!).toBe(false);
    expect("upgrade" in put!).toBe(false);
  });

  it("mark a whole or a streamed body past the cap with the cap, and hand over none of it", async () => {
    const pipeline = new StubPipeline();
    const door = new FakeDispatcher(pipeline, 8);
    await dispatchLegacy(door, { origin: ORIGIN, method: "PUT", path: "/", body: "123456789" });
    await dispatchLegacy(door, {
      origin: ORIGIN,
      method: "PUT",
      path: "/",
      body: Readable.from([Buffer.from("12345"), Buffer.from("6789")]),
    });
    await dispatchLegacy(door, {
      origin: ORIGIN,
      method: "PUT",
      path: "/",
      body: Readable.from([Buffer.from("1234"), Buffer.from("5678")]),
    });
    expect(
      pipeline.requests.map((request) => [request.body?.byteLength, request.bodyTooLarge]),
    ).toEqual([
      [undefined, 8],
      [undefined, 8],
      [8, undefined],
    ]);
  });

  it("are not made of a whole body it cannot read: the request fails with the error", async () => {
    const pipeline = new StubPipeline();
    const door = new FakeDispatcher(pipeline, 8);
    const detached = new ArrayBuffer(4);
    structuredClone(detached, { transfer: [detached] });
    const heard = await dispatchLegacy(door, {
      origin: ORIGIN,
      method: "PUT",
      path: "/",
      body: detached as unknown as Dispatcher.DispatchOptions["body"],
    });
    expect(heard.error).toBeInstanceOf(TypeError);
    expect(heard.events).toEqual(["connect", "error"]);
    expect(pipeline.requests).toHaveLength(0);
  });

  it("carry the upgrade asked for; an accepted upgrade is answered 501 naming the listening door", async () => {
    const pipeline = new StubPipeline();
    pipeline.answer = () => ({
      type: "response",
      response: { ...jsonResponse(101, {}), upgrade: () => ({}) as never },
    });
    const door = new FakeDispatcher(pipeline);
    const heard = await dispatchModern(door, {
      origin: ORIGIN,
      method: "GET",
      path: "/pty",
      upgrade: "websocket",
    });
    expect(pipeline.requests[0]!.upgrade).toBe("websocket");
    expect(heard.status).toBe(501);
    expect(heard.text).toBe("Not Implemented");
    expect(JSON.parse(heard.body)).toEqual({
      code: "not_implemented",
      message:
        "the in-process door does not upgrade to a WebSocket (PTY): use createFakeArker({ listen: true })",
    });
  });

  it("are not handed over once the caller aborted while the body was still arriving", async () => {
    const pipeline = new StubPipeline();
    const door = new FakeDispatcher(pipeline);
    const body = new Readable({ read() {} });
    const push = (chunk: Buffer | null) => body.push(chunk);
    const heard: string[] = [];
    let abort!: (error: Error) => void;
    door.dispatch(
      { origin: ORIGIN, method: "PUT", path: "/", body },
      {
        onRequestStart: (controller) => {
          abort = (error) => controller.abort(error);
        },
        onResponseStart: () => heard.push("answered"),
        onResponseError: (_controller, error) => heard.push(error.message),
      },
    );
    abort(new Error("gave up"));
    push(Buffer.from("late"));
    push(null);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(heard).toEqual(["gave up"]);
    expect(pipeline.requests).toHaveLength(0);
  });
});

describe("answers", () => {
  it("a reset fails the request with undici's SocketError, in both handler styles", async () => {
    const pipeline = new StubPipeline();
    pipeline.answer = () => ({ type: "reset" });
    const door = new FakeDispatcher(pipeline);
    for (const dispatch of [dispatchModern, dispatchLegacy]) {
      const heard = await dispatch(door, { origin: ORIGIN, method: "GET", path: "/" });
      expect(heard.error).toBeInstanceOf(errors.SocketError);
      expect(heard.error!.message).toBe("other side closed");
      expect(heard.events.at(-1)).toBe("error");
      expect(heard.events).not.toContain("response");
    }
  });

  it("a pipeline that throws, rejects, or rejects with a non-Error fails the request with an Error", async () => {
    const pipeline = new StubPipeline();
    const door = new FakeDispatcher(pipeline);
    pipeline.answer = () => {
      throw new Error("thrown");
    };
    expect(
      (await dispatchModern(door, { origin: ORIGIN, method: "GET", path: "/" })).error?.message,
    ).toBe("thrown");
    pipeline.answer = () => Promise.reject(new Error("rejected"));
    expect(
      (await dispatchLegacy(door, { origin: ORIGIN, method: "GET", path: "/" })).error?.message,
    ).toBe("rejected");
    pipeline.answer = () => Promise.reject("not an error");
    const heard = await dispatchLegacy(door, { origin: ORIGIN, method: "GET", path: "/" });
    expect(heard.error).toBeInstanceOf(Error);
    expect(heard.error!.message).toBe("not an error");
  });

  it("a later answer reaches the handler whole", async () => {
    const pipeline = new StubPipeline();
    pipeline.answer = () =>
      Promise.resolve({ type: "response", response: jsonResponse(202, { later: true }) });
    const heard = await dispatchModern(new FakeDispatcher(pipeline), {
      origin: ORIGIN,
      method: "GET",
      path: "/",
    });
    expect([heard.status, heard.text, heard.body]).toEqual([202, "Accepted", '{"later":true}']);
  });

  it("a status with no known text gets an empty one", async () => {
    const pipeline = new StubPipeline();
    pipeline.answer = () => ({ type: "response", response: jsonResponse(418, {}) });
    const door = new FakeDispatcher(pipeline);
    expect((await dispatchModern(door, { origin: ORIGIN, method: "GET", path: "/" })).text).toBe(
      "",
    );
    expect((await dispatchLegacy(door, { origin: ORIGIN, method: "GET", path: "/" })).text).toBe(
      "",
    );
  });

  it("a HEAD answer to a controller-style handler carries its length but no data", async () => {
    const door = new FakeDispatcher(new StubPipeline());
    const heard = await dispatchModern(door, { origin: ORIGIN, method: "HEAD", path: "/" });
    expect(heard.events).toEqual(["start", "response", "end"]);
    expect(heard.headers["content-length"]).toBe("11");
  });

  it("the legacy callbacks come in undici's order, with no trailers", async () => {
    const door = new FakeDispatcher(new StubPipeline());
    const heard = await dispatchLegacy(door, { origin: ORIGIN, method: "GET", path: "/" });
    expect(heard.events).toEqual(["connect", "started", "headers", "data", "complete []"]);
    expect(heard.headers).toMatchObject({
      "content-type": "application/json",
      "content-length": "11",
    });
  });

  it("dispatch says the door takes more requests, open or closed", async () => {
    const door = new FakeDispatcher(new StubPipeline());
    const handler = { onResponseError: () => undefined, onResponseEnd: () => undefined };
    expect(door.dispatch({ origin: ORIGIN, method: "GET", path: "/" }, handler)).toBe(true);
    await door.close();
    expect(door.dispatch({ origin: ORIGIN, method: "GET", path: "/" }, handler)).toBe(true);
  });
});

describe("the controller", () => {
  it("starts neither paused nor aborted, with no reason", async () => {
    const door = new FakeDispatcher(new StubPipeline());
    const seen: unknown[] = [];
    door.dispatch(
      { origin: ORIGIN, method: "GET", path: "/" },
      {
        onRequestStart: (controller) =>
          seen.push(controller.paused, controller.aborted, controller.reason),
        onResponseEnd: () => undefined,
      },
    );
    expect(seen).toEqual([false, false, null]);
  });
});
