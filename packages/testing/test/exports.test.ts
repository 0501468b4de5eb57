import { describe, expect, it } from "vitest";
import { moduleExports } from "../../../test-support/module-exports";
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

  it("of @arker-ai/testing, types included", () => {
    expect(moduleExports(new URL("../src/index.ts", import.meta.url))).toEqual([
      "allocatedNodeCount",
      "CLOCK_MODES",
      "type ClockMode",
      "type CommandContext",
      "type CommandControls",
      "type CommandHandler",
      "type CommandMatcher",
      "type CommandResult",
      "createFakeArker",
      "DEFAULT_START_TIME",
      "exportLines",
      "type FakeArker",
      "type FakeArkerOptions",
      "type FakeClientOptions",
      "type FakeClock",
      "type FakeServer",
      "type FakeServerOptions",
      "type FakeVmSnapshot",
      "type FaultControls",
      "type FaultEffect",
      "type FaultRule",
      "type FileView",
      "IN_PROCESS_ORIGIN",
      "type LatencyEffect",
      "type ListenOptions",
      "type RequestLogEntry",
      "type ResetAfterEffect",
      "type ResetBeforeEffect",
      "type RespondEffect",
      "startFakeServer",
      "type TunnelControls",
      "type TunnelHandler",
    ]);
  }, 120_000);
});
