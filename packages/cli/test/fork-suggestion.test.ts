import { describe, expect, it } from "vitest";
import { cliOnSharedFake } from "./harness";

const cli = cliOnSharedFake();

describe.concurrent("fork of a name that does not exist", () => {
  it("close to a golden: the service's message, did you mean, and the command as a hint", async () => {
    const result = await cli(["fork", "ubuntu-ful"]);
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(
      /^arker: not_found: (?!not_found: ).*; did you mean ubuntu-full\?$/m,
    );
    expect(result.stderr).toMatch(/^hint: arker fork ubuntu-full$/m);
    const json = await cli(["fork", "ubuntu-ful", "--json"]);
    expect(json.json()).toMatchObject({ error: { code: "not_found" } });
  });

  it("far from every golden: no suggestion", async () => {
    const result = await cli(["fork", "qqqqqqqqqqqq"]);
    expect(result.code).toBe(5);
    expect(result.stderr).not.toContain("did you mean");
    expect(result.stderr).not.toContain("hint:");
  });
});
