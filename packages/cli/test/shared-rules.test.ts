import { ArkerClient, ArkerError, parseLogLevel as sdkLogLevel } from "@arker-ai/core";
import {
  parseLogLevel as contractLogLevel,
  envProblem,
  pathProblem,
} from "@arker-ai/core/contract";
import { createFakeArker, type FakeArker } from "@arker-ai/testing";
import { type Vm, VmClient } from "@arker-ai/vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCwd, parseEnvAssignment } from "../src/support/parse-arguments";
import { rejectsAsUsage } from "./harness";

// One table, four judges: the contract's rule, the SDK (refuses before sending), the
// fake (answers 400 to the raw request) and the CLI (a usage error). Each verdict is
// compared with the contract's, so a side that drifts fails here whichever it is.

const ENV_NAMES = ["A", "_x9", "PATH", "a1", "9A", "A-B", "A B", "A.B", "é", "", "A=B"];
const CWDS = ["/", "/tmp", "/home/user/", "tmp", "./x", "/a/../b", "/a/..", "", "/a\0b"];
const FILE_PATHS = ["/tmp/f", "/a b/c", "f", "/tmp/../etc/passwd", "/x/./y", "/a\0b"];
const LOG_LEVELS = ["debug", "INFO", " warn ", "error", "off", "", "loud", "trace", undefined];

let fake: FakeArker;
let vm: Vm;

beforeAll(async () => {
  fake = await createFakeArker({ seed: "shared-rules" });
  vm = await new VmClient(new ArkerClient(fake.clientOptions)).fork("ubuntu");
});
afterAll(() => fake.close());

/** Whether the SDK refused the call itself with `bad_request`, sending nothing. */
async function sdkRefuses(call: () => Promise<unknown>): Promise<boolean> {
  const before = fake.requests.length;
  try {
    await call();
  } catch (error) {
    if (!(error instanceof ArkerError)) throw error;
    if (error.code === "bad_request") return fake.requests.length === before;
  }
  return false;
}

/** Whether the fake answers a raw request with 400 `bad_request`. */
async function fakeRefuses(path: string, body: unknown): Promise<boolean> {
  const response = await fake.dispatcher.request({
    origin: fake.clientOptions.baseUrl,
    path,
    method: "POST",
    headers: {
      authorization: `Bearer ${fake.clientOptions.apiKey}`,
      "content-type": "application/json",
    },
    body: JSON.stringify(body),
  });
  const answer = (await response.body.json()) as { code?: string };
  if (response.statusCode >= 500) throw new Error(`fake answered ${response.statusCode}`);
  return response.statusCode === 400 && answer.code === "bad_request";
}

describe("SDK, fake and CLI apply the contract's rules alike", () => {
  it.each(ENV_NAMES)("env name %j", async (name) => {
    const contract = envProblem({ [name]: "v" }) !== undefined;
    const env = { [name]: "v" };
    expect({
      sdk: await sdkRefuses(() => vm.run("true", { env })),
      fake: await fakeRefuses(`/v1/vms/${vm.id}/runs`, { command: "true", env }),
      cli: name.includes("=") ? contract : rejectsAsUsage(() => parseEnvAssignment(`${name}=v`)),
    }).toEqual({ sdk: contract, fake: contract, cli: contract });
  });

  it.each(CWDS)("cwd %j", async (cwd) => {
    const contract = pathProblem(cwd, "cwd") !== undefined;
    expect({
      sdk: await sdkRefuses(() => vm.run("true", { cwd })),
      fake: await fakeRefuses(`/v1/vms/${vm.id}/runs`, { command: "true", cwd }),
      cli: rejectsAsUsage(() => parseCwd(cwd)),
    }).toEqual({ sdk: contract, fake: contract, cli: contract });
  });

  it.each(FILE_PATHS)("file path %j", async (path) => {
    const contract = pathProblem(path, "path") !== undefined;
    expect({
      sdk: await sdkRefuses(() => vm.sync(path)),
      fake: await fakeRefuses(`/v1/vms/${vm.id}/sync`, { op: "read", path }),
    }).toEqual({ sdk: contract, fake: contract });
  });

  it.each(LOG_LEVELS)("ARKER_LOG %j", (value) => {
    // The SDK exports the contract's parser itself; the CLI's reading of ARKER_LOG
    // through it is pinned end to end in contract-rules.test.ts.
    expect(sdkLogLevel(value)).toBe(contractLogLevel(value));
  });
});
