import { Readable } from "node:stream";
import { type Dispatcher, errors, request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { createFakeArker, type FakeArker } from "../src/index.js";

// The in-process door as undici's callers reach it: header shapes other than a plain
// lower-case record, streamed bodies, HEAD, a closed door, and both handler styles.

let fake: FakeArker | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function open(options: { maxBodyBytes?: number } = {}): Promise<FakeArker> {
  fake = await createFakeArker({ python: false, clock: "manual", ...options });
  return fake;
}

/** What a legacy-style handler heard: status, headers, body, error. */
interface Heard {
  status: number;
  headers: Record<string, string>;
  body: string;
  error: Error | undefined;
}

/** Dispatches through the door with a legacy handler (as `request()` does) and collects it. */
function dispatchLegacy(door: Dispatcher, options: Dispatcher.DispatchOptions): Promise<Heard> {
  return new Promise((resolve) => {
    const heard: Heard = { status: 0, headers: {}, body: "", error: undefined };
    const chunks: Buffer[] = [];
    door.dispatch(options, {
      onConnect: () => undefined,
      onHeaders: (status, rawHeaders) => {
        heard.status = status;
        const pairs = rawHeaders as unknown as Buffer[];
        for (let index = 0; index + 1 < pairs.length; index += 2)
          heard.headers[pairs[index]!.toString()] = pairs[index + 1]!.toString();
        return true;
      },
      onData: (chunk) => {
        chunks.push(Buffer.from(chunk));
        return true;
      },
      onComplete: () => {
        heard.body = Buffer.concat(chunks).toString();
        resolve(heard);
      },
      onError: (error) => {
        heard.error = error;
        resolve(heard);
      },
    } as Dispatcher.DispatchHandler);
  });
}

const ORIGIN = "http://arker-fake.invalid";

describe("header shapes", () => {
  it.each([
    ["a flat array", (key: string) => ["Authorization", `Bearer ${key}`]],
    ["an array of pairs", (key: string) => [["Authorization", `Bearer ${key}`]]],
    ["an iterable of pairs", (key: string) => new Map([["Authorization", `Bearer ${key}`]])],
    ["a record with an upper-case name", (key: string) => ({ Authorization: `Bearer ${key}` })],
    ["a record with an array value", (key: string) => ({ authorization: [`Bearer ${key}`] })],
  ])("authenticates with the key given as %s", async (_shape, headersFor) => {
    const door = (await open()).dispatcher;
    const heard = await dispatchLegacy(door, {
      origin: ORIGIN,
      method: "GET",
      path: "/v1/vms",
      headers: headersFor(fake!.apiKey) as Dispatcher.DispatchOptions["headers"],
    });
    expect(heard.status, heard.body).toBe(200);
    expect(JSON.parse(heard.body)).toHaveProperty("vms");
  });

  it("refuses a wrong key given as a flat array (the shape is read, not ignored)", async () => {
    const door = (await open()).dispatcher;
    const heard = await dispatchLegacy(door, {
      origin: ORIGIN,
      method: "GET",
      path: "/v1/vms",
      headers: ["Authorization", "Bearer ark_test_wrong"],
    });
    expect(heard.status).toBe(401);
  });

  it("skips a header whose value is null", async () => {
    const door = (await open()).dispatcher;
    const heard = await dispatchLegacy(door, {
      origin: ORIGIN,
      method: "GET",
      path: "/v1/vms",
      headers: ["authorization", null, "authorization", `Bearer ${fake!.apiKey}`],
    } as unknown as Dispatcher.DispatchOptions);
    expect(heard.status, heard.body).toBe(200);
  });

  it("joins a repeated name with a comma, so two keys are no key", async () => {
    const door = (await open()).dispatcher;
    const bearer = `Bearer ${fake!.apiKey}`;
    const heard = await dispatchLegacy(door, {
      origin: ORIGIN,
      method: "GET",
      path: "/v1/vms",
      headers: ["authorization", bearer, "Authorization", bearer],
    });
    expect(heard.status).toBe(401);
  });
});

describe("bodies", () => {
  it("reads a streamed body and runs its command", async () => {
    const door = (await open()).dispatcher;
    const auth = { authorization: `Bearer ${fake!.apiKey}`, "content-type": "application/json" };
    const forked = await dispatchLegacy(door, {
      origin: ORIGIN,
      method: "POST",
      path: "/v1/fork",
      headers: auth,
      body: Readable.from([
        Buffer.from('{"source_vm_name":"ubuntu",'),
        Buffer.from('"source_org_id":"ArkerHQ"}'),
      ]),
    });
    expect(forked.status, forked.body).toBe(200);
    expect(JSON.parse(forked.body).vm_id).toMatch(/^vm_/);
  });

  it("answers 413 to a streamed body past maxBodyBytes, and a whole one too", async () => {
    const door = (await open({ maxBodyBytes: 64 })).dispatcher;
    const auth = { authorization: `Bearer ${fake!.apiKey}`, "content-type": "application/json" };
    const big = JSON.stringify({ source_vm_name: "ubuntu", pad: "x".repeat(200) });
    const streamed = await dispatchLegacy(door, {
      origin: ORIGIN,
      method: "POST",
      path: "/v1/fork",
      headers: auth,
      body: Readable.from([Buffer.from(big.slice(0, 100)), Buffer.from(big.slice(100))]),
    });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body)).toMatchObject({ code: "payload_too_large" });
    const whole = await dispatchLegacy(door, {
      origin: ORIGIN,
      method: "POST",
      path: "/v1/fork",
      headers: auth,
      body: big,
    });
    expect(whole.status).toBe(413);
  });

  it("fails the request when a streamed body breaks", async () => {
    const door = (await open()).dispatcher;
    const broken = new Readable({
      read() {
        this.destroy(new Error("disk went away"));
      },
    });
    const heard = await dispatchLegacy(door, {
      origin: ORIGIN,
      method: "POST",
      path: "/v1/fork",
      headers: { authorization: `Bearer ${fake!.apiKey}` },
      body: broken,
    });
    expect(heard.error?.message).toBe("disk went away");
  });
});

describe("answers", () => {
  it("a HEAD answer carries its length but no body", async () => {
    const door = (await open()).dispatcher;
    const headers = { authorization: `Bearer ${fake!.apiKey}` };
    const head = await dispatchLegacy(door, {
      origin: ORIGIN,
      method: "HEAD",
      path: "/v1/vms",
      headers,
    });
    expect(Number(head.headers["content-length"])).toBeGreaterThan(0);
    expect(head.body).toBe("");
  });

  it("names the status of each answer it gives (OK, Not Found)", async () => {
    const door = (await open()).dispatcher;
    const texts: string[] = [];
    for (const path of ["/v1/health", "/v1/nowhere"]) {
      await new Promise<void>((resolve) => {
        door.dispatch({ origin: ORIGIN, method: "GET", path }, {
          onConnect: () => undefined,
          onHeaders: (_status: number, _raw: unknown, _resume: unknown, text: string) => {
            texts.push(text);
            return true;
          },
          onData: () => true,
          onComplete: () => resolve(),
          onError: () => resolve(),
        } as unknown as Dispatcher.DispatchHandler);
      });
    }
    expect(texts).toEqual(["OK", "Not Found"]);
  });

  it("refuses requests once closed, with undici's ClientDestroyedError", async () => {
    const opened = await open();
    await opened.dispatcher.close();
    await expect(
      request(`${opened.baseUrl}/v1/health`, { dispatcher: opened.dispatcher }),
    ).rejects.toBeInstanceOf(errors.ClientDestroyedError);
  });

  it("takes the controller style: start, data and end with the status text", async () => {
    const door = (await open()).dispatcher;
    const seen: string[] = [];
    await new Promise<void>((resolve, reject) => {
      door.dispatch(
        { origin: ORIGIN, method: "GET", path: "/v1/health" },
        {
          onRequestStart: () => seen.push("start"),
          onResponseStart: (_controller, status, headers, text) =>
            seen.push(`${status} ${text} ${headers["content-type"]}`),
          onResponseData: () => seen.push("data"),
          onResponseEnd: () => {
            seen.push("end");
            resolve();
          },
          onResponseError: (_controller, error) => reject(error),
        },
      );
    });
    expect(seen).toEqual(["start", "200 OK application/json", "data", "end"]);
  });

  it("an answer known at once reaches the handler before dispatch returns", async () => {
    const door = (await open()).dispatcher;
    const seen: string[] = [];
    door.dispatch(
      { origin: ORIGIN, method: "GET", path: "/v1/health" },
      {
        onResponseStart: (_controller, status) => seen.push(String(status)),
        onResponseEnd: () => seen.push("end"),
      },
    );
    seen.push("returned");
    expect(seen).toEqual(["200", "end", "returned"]);
  });

  it("an abort through the controller before the answer fails the request once", async () => {
    const door = (await open()).dispatcher;
    const errorsHeard: Error[] = [];
    const done = new Promise<void>((resolve) => {
      door.dispatch(
        { origin: ORIGIN, method: "GET", path: "/v1/health" },
        {
          onRequestStart: (controller) => controller.abort(new Error("caller gave up")),
          onResponseStart: () => errorsHeard.push(new Error("answered after abort")),
          onResponseError: (_controller, error) => {
            errorsHeard.push(error);
            resolve();
          },
        },
      );
    });
    await done;
    expect(errorsHeard.map((error) => error.message)).toEqual(["caller gave up"]);
  });

  it("an abort after the answer ended, or a second abort, is not heard", async () => {
    const door = (await open()).dispatcher;
    const heard: string[] = [];
    await new Promise<void>((resolve) => {
      door.dispatch(
        { origin: ORIGIN, method: "GET", path: "/v1/health" },
        {
          onRequestStart: () => undefined,
          onResponseStart: () => undefined,
          onResponseEnd: (controller) => {
            heard.push("end");
            controller.abort(new Error("too late"));
            resolve();
          },
          onResponseError: (_controller, error) => heard.push(error.message),
        },
      );
    });
    await new Promise<void>((resolve) => {
      door.dispatch(
        { origin: ORIGIN, method: "GET", path: "/v1/health" },
        {
          onRequestStart: (controller) => {
            controller.abort(new Error("first"));
            controller.abort(new Error("second"));
            heard.push(`reason: ${controller.reason?.message}`);
            resolve();
          },
          onResponseError: (_controller, error) => heard.push(error.message),
        },
      );
    });
    expect(heard).toEqual(["end", "first", "reason: first"]);
  });
});

describe("body shapes and odd callers", () => {
  const forkAuth = () => ({
    authorization: `Bearer ${fake!.apiKey}`,
    "content-type": "application/json",
  });

  it("reads a body given as an array of string, ArrayBuffer and DataView chunks", async () => {
    const door = (await open()).dispatcher;
    // A pooled Buffer: the DataView starts inside a bigger ArrayBuffer.
    const tail = Buffer.from('"source_org_id":"ArkerHQ"}');
    const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
    const heard = await dispatchLegacy(door, {
      origin: ORIGIN,
      method: "POST",
      path: "/v1/fork",
      headers: forkAuth(),
      body: [
        '{"source_vm_name":',
        new TextEncoder().encode('"ubuntu",').buffer,
        view,
      ] as unknown as Dispatcher.DispatchOptions["body"],
    });
    expect(heard.status, heard.body).toBe(200);
    expect(JSON.parse(heard.body).root_source_vm_name).toBe("ubuntu");
  });

  it("fails the request for a body of an unsupported type or with an unsupported chunk", async () => {
    const door = (await open()).dispatcher;
    const send = (body: unknown) =>
      dispatchLegacy(door, {
        origin: ORIGIN,
        method: "POST",
        path: "/v1/fork",
        headers: forkAuth(),
        body: body as Dispatcher.DispatchOptions["body"],
      });
    expect((await send(42)).error?.message).toBe("unsupported request body type");
    expect((await send([42])).error?.message).toBe("unsupported body chunk: number");
  });

  it("fails the request with an Error when a streamed body throws a non-Error", async () => {
    const door = (await open()).dispatcher;
    const heard = await dispatchLegacy(door, {
      origin: ORIGIN,
      method: "POST",
      path: "/v1/fork",
      headers: forkAuth(),
      body: (async function* () {
        yield "{";
        throw "stream broke";
      })() as unknown as Dispatcher.DispatchOptions["body"],
    });
    expect(heard.error).toBeInstanceOf(Error);
    expect(heard.error?.message).toBe("stream broke");
  });

  it("answers on the in-process origin when the caller gives none, and fails a bad origin", async () => {
    const door = (await open()).dispatcher;
    const vm = JSON.parse(
      (
        await dispatchLegacy(door, {
          // Another origin first: the door remembers the last one it parsed.
          origin: "http://elsewhere.example",
          method: "POST",
          path: "/v1/fork",
          headers: forkAuth(),
          body: JSON.stringify({ source_vm_name: "ubuntu", source_org_id: "ArkerHQ" }),
        })
      ).body,
    );
    const presign = await dispatchLegacy(door, {
      method: "POST",
      path: `/v1/vms/${vm.vm_id}/sync`,
      headers: forkAuth(),
      body: JSON.stringify({
        op: "write",
        writes: [{ path: "/tmp/p", size: 1, presigned: true }],
      }),
    } as Dispatcher.DispatchOptions);
    expect(JSON.parse(presign.body).results[0].presigned_url).toMatch(
      /^http:\/\/arker-fake\.invalid\/_fake\/blobs\//,
    );
    const bad = await dispatchLegacy(door, {
      origin: "not a url",
      method: "GET",
      path: "/v1/health",
    });
    expect(bad.status).toBe(0);
    expect(bad.error).toBeInstanceOf(TypeError);
  });

  it("refuses requests once destroyed, with undici's ClientDestroyedError", async () => {
    const opened = await open();
    await opened.dispatcher.destroy();
    await expect(
      request(`${opened.baseUrl}/v1/health`, { dispatcher: opened.dispatcher }),
    ).rejects.toBeInstanceOf(errors.ClientDestroyedError);
  });

  /** Forks a VM and stubs `wait` to answer once `release` is called. */
  async function pendingRun(door: Dispatcher) {
    const forked = await request(`${fake!.baseUrl}/v1/fork`, {
      method: "POST",
      headers: forkAuth(),
      body: JSON.stringify({ source_vm_name: "ubuntu", source_org_id: "ArkerHQ" }),
      dispatcher: door,
    });
    const vmId = ((await forked.body.json()) as { vm_id: string }).vm_id;
    let release!: () => void;
    let called!: () => void;
    const started = new Promise<void>((resolve) => {
      called = resolve;
    });
    fake!.commands.on("wait", () => {
      called();
      return new Promise((resolve) => {
        release = () => resolve({ stdout: "done\n" });
      });
    });
    const options: Dispatcher.DispatchOptions = {
      origin: ORIGIN,
      method: "POST",
      path: `/v1/vms/${vmId}/runs`,
      headers: forkAuth(),
      body: JSON.stringify({ command: "wait" }),
    };
    return { options, started, release: () => release() };
  }

  it("a legacy caller's abort without a reason fails the pending request with RequestAbortedError", async () => {
    const door = (await open()).dispatcher;
    const { options, started, release } = await pendingRun(door);
    let abort!: (reason?: Error) => void;
    const heard: string[] = [];
    const failed = new Promise<Error>((resolve) => {
      door.dispatch(options, {
        onConnect: (abortRequest: (reason?: Error) => void) => {
          abort = abortRequest;
        },
        onHeaders: () => {
          heard.push("answered after abort");
          return true;
        },
        onData: () => true,
        onComplete: () => heard.push("completed"),
        onError: (error: Error) => resolve(error),
      } as unknown as Dispatcher.DispatchHandler);
    });
    await started;
    abort();
    const error = await failed;
    expect(error).toBeInstanceOf(errors.RequestAbortedError);
    release();
    // The run's answer comes after the abort: the finished request does not take it.
    await fake!.clock.advance(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(heard).toEqual([]);
  });

  it("a legacy caller's abort with a reason fails the request with that reason", async () => {
    const door = (await open()).dispatcher;
    const { options, started, release } = await pendingRun(door);
    let abort!: (reason?: Error) => void;
    const failed = new Promise<Error>((resolve) => {
      door.dispatch(options, {
        onConnect: (abortRequest: (reason?: Error) => void) => {
          abort = abortRequest;
        },
        onHeaders: () => true,
        onData: () => true,
        onComplete: () => undefined,
        onError: (error: Error) => resolve(error),
      } as unknown as Dispatcher.DispatchHandler);
    });
    await started;
    abort(new Error("caller left"));
    expect((await failed).message).toBe("caller left");
    release();
  });

  it("a controller-style caller may pause and resume; the answer still arrives whole", async () => {
    const door = (await open()).dispatcher;
    const seen: string[] = [];
    await new Promise<void>((resolve, reject) => {
      door.dispatch(
        { origin: ORIGIN, method: "GET", path: "/v1/health" },
        {
          onRequestStart: (controller) => {
            controller.pause();
            seen.push(`paused ${controller.paused}`);
            controller.resume();
            seen.push(`resumed ${controller.paused}`);
          },
          onResponseStart: (_controller, status) => seen.push(String(status)),
          onResponseEnd: () => resolve(),
          onResponseError: (_controller, error) => reject(error),
        },
      );
    });
    expect(seen).toEqual(["paused true", "resumed false", "200"]);
  });
});
