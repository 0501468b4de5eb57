import { Arker } from "@arker-ai/sdk";
import { createFakeArker } from "@arker-ai/testing";
import { afterEach, beforeEach, expect, it } from "vitest";
import { buildReport } from "./fork-run-read.mjs";

let fake;
beforeEach(async () => {
  fake = await createFakeArker();
});
afterEach(async () => {
  await fake.close();
});

it("forks, runs a stubbed program and reads the file it wrote", async () => {
  fake.commands.on(/^python3 train\.py/, () => ({ stdout: "accuracy=0.97\n" }));
  const report = await buildReport(new Arker(fake.clientOptions));
  expect(report).toBe("accuracy=0.97\n");
  expect(fake.vms.filter((vm) => vm.name === "report")).toHaveLength(0);
});

it("surfaces a failing program as an error", async () => {
  fake.commands.on(/^python3 train\.py/, () => ({ stderr: "boom\n", exitCode: 2 }));
  await expect(buildReport(new Arker(fake.clientOptions))).rejects.toThrow("build step failed");
});
