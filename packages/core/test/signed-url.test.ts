import { MockAgent } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { rejection } from "../../../test-support/local-server";
import { ArkerClient } from "../src/index";

// A signed URL is a credential: the client checks it before sending and removes each of
// its parts from whatever a storage host echoes back (hostile-answers.test.ts covers the
// whole URL and one token; these pin the parts one by one, found by mutation testing).
const KEY = "ark_live_signed_0123456789abcdef";
const agents: MockAgent[] = [];

afterEach(async () => {
  await Promise.all(agents.splice(0).map((agent) => agent.close()));
});

/** A client on an https API whose storage host answers every request with `answer`. */
function clientWithStorage(answer: (path: string) => { status: number; body: string }) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  agents.push(agent);
  agent
    .get("https://blob.test")
    .intercept({ path: () => true, method: () => true })
    .reply((options) => {
      const { status, body } = answer(options.path);
      return { statusCode: status, data: body };
    })
    .persist();
  return new ArkerClient({
    apiKey: KEY,
    baseUrl: "https://api.test/api",
    dispatcher: agent,
    retry: false,
  });
}

describe("the signed URL check", () => {
  it("lets an https signed URL through under an https API", async () => {
    const client = clientWithStorage(() => ({ status: 200, body: "abc" }));
    const bytes = await client.transfer({
      method: "GET",
      url: "https://blob.test/b/o?sig=x",
      expectedBytes: 3,
    });
    expect(Buffer.from(bytes).toString()).toBe("abc");
  });

  it.each(["not a url", "ftp://blob.test/x", "file:///etc/passwd"])(
    "refuses %j with one sentence that does not quote it",
    async (url) => {
      const client = clientWithStorage(() => ({ status: 200, body: "" }));
      const error = await rejection(client.transfer({ method: "GET", url, expectedBytes: 0 }));
      expect(error.message).toBe("bad_request: transfer url must be an absolute http(s) URL");
    },
  );
});

describe("each part of a signed URL echoed back is removed whole", () => {
  // A 16-character path segment (the shortest that counts as a token), S3-style query
  // values, one percent-encoded and one form-encoded (`+` for a space).
  const segment = "AKIAEXAMPLE12345";
  const credential = "AKIA%2F20261206%2Fus-west-2%2Fs3";
  const session = "session+token+0123456789";
  const signature = "0123456789abcdef0123";
  const query = `X-Amz-Credential=${credential}&X-Amz-Security-Token=${session}&X-Amz-Signature=${signature}&v=1`;
  const path = `/bucket/${segment}/obj`;
  const url = `https://blob.test${path}?${query}`;

  it.each([
    ["a path segment", segment],
    ["a query value", signature],
    ["a percent-decoded value", "AKIA/20261206/us-west-2/s3"],
    ["a form-decoded value", "session token 0123456789"],
    ["the query", query],
    ["the path and query", `${path}?${query}`],
    ["the whole URL", url],
  ])("%s", async (_label, echoed) => {
    const client = clientWithStorage(() => ({
      status: 403,
      body: JSON.stringify({ code: "forbidden", message: `denied for bucket: ${echoed}` }),
    }));
    const error = await rejection(client.transfer({ method: "GET", url, expectedBytes: 1 }));
    expect(error.message).toBe("forbidden: denied for bucket: [REDACTED]");
  });
});
