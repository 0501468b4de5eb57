import {
  type FakeOutcome,
  type FakeRequest,
  type FakeRequestHandler,
  jsonResponse,
} from "../src/http/http-types.js";

/** What the door hands `wantsBody`. */
export type Head = Pick<FakeRequest, "method" | "target" | "headers">;

/**
 * A pipeline for the door tests: records each head and request, wants bodies unless told
 * not to, and answers 200 `{ ok: true }` (with `headers`) unless `answer` is replaced.
 */
export class StubPipeline implements FakeRequestHandler {
  readonly heads: Head[] = [];
  readonly requests: FakeRequest[] = [];
  wants = true;
  answer: (request: FakeRequest) => FakeOutcome | Promise<FakeOutcome>;

  constructor(headers: Record<string, string> = {}) {
    this.answer = () => ({ type: "response", response: jsonResponse(200, { ok: true }, headers) });
  }

  wantsBody(head: Head): boolean {
    this.heads.push(head);
    return this.wants;
  }

  handle(request: FakeRequest): FakeOutcome | Promise<FakeOutcome> {
    this.requests.push(request);
    return this.answer(request);
  }
}
