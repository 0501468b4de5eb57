import { describe, expect, it } from "vitest";
import * as main from "../src/index.js";
import * as vitestEntry from "../src/vitest.js";

// The runtime exports of each entry, pinned: a change here is a deliberate diff.
describe("exports", () => {
  it("of @arker-ai/testing", () => {
    expect(Object.keys(main).sort()).toEqual([
      "CLOCK_MODES",
      "DEFAULT_START_TIME",
      "IN_PROCESS_ORIGIN",
      "allocatedNodeCount",
      "createFakeArker",
      "exportLines",
      "startFakeServer",
    ]);
  });

  it("of @arker-ai/testing/vitest", () => {
    expect(Object.keys(vitestEntry).sort()).toEqual(["useFakeArker"]);
  });
});
