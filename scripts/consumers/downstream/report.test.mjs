import { Arker, ArkerError } from "@arker-ai/sdk";
import { createFakeArker } from "@arker-ai/testing";
import { afterEach, beforeEach, expect, it } from "vitest";
import { countWords } from "./fork-run-read.mjs";

let fake;
beforeEach(async () => {
  fake = await createFakeArker();
});
afterEach(async () => {
  await fake.close();
});

it("forks, runs a real pipeline and a stubbed program, and reads the file written", async () => {
  fake.commands.on(/^python3 train\.py/, ({ files }) => {
    const report = new TextDecoder().decode(files.read("/tmp/report.txt"));
    return { stdout: `trained on ${report.trim().split("\n").length} distinct words\n` };
  });
  const { report, training } = await countWords(new Arker(fake.clientOptions), [
    "b",
    "a",
    "b",
    "c",
    "b",
  ]);
  expect(report.split("\n").map((line) => line.trim())).toEqual(["3 b", "1 c", "1 a", ""]);
  expect(training).toBe("trained on 3 distinct words\n");
  expect(fake.vms.some((vm) => vm.name === "word-count")).toBe(false);
});

it("surfaces a failing program as an error and still deletes the VM", async () => {
  fake.commands.on(/^python3 train\.py/, () => ({ stderr: "boom\n", exitCode: 2 }));
  await expect(countWords(new Arker(fake.clientOptions), ["x"])).rejects.toThrow("training failed");
  expect(fake.vms.some((vm) => vm.name === "word-count")).toBe(false);
});

it("reports a missing file as an ArkerError not_found", async () => {
  const ar = new Arker(fake.clientOptions);
  const vm = await ar.fork("ubuntu-full");
  const error = await vm.sync("/tmp/none").catch((e) => e);
  expect(ArkerError.is(error) && error.code).toBe("not_found");
});
