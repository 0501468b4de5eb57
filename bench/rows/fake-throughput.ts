import { MockAgent, request } from "undici";
import type { BenchContext } from "../lib/context.js";
import { type BenchFake, loadSdk, loadTesting } from "../lib/packages.js";
import { atLeast, notRun, type RowResult } from "../lib/result.js";
import { pairedRounds } from "../lib/rounds.js";
import { alternateCalls, perSecond } from "../lib/timing.js";

/**
 * Row 2: is the in-process fake fast enough that nobody stubs it out? Sequential
 * `vm.run("true")` through the SDK over `fake.dispatcher` vs the same SDK calls over an
 * undici `MockAgent` replying a canned completed-run body (the fake's own answer,
 * captured once): the floor for any dispatcher-based mock.
 *
 * @module
 */

/** Issue 16: the fake at least 0.8× as fast as a MockAgent canned reply. */
const RATIO_GOAL = 0.8;
const MOCK_ORIGIN = "http://mock.arker.test";

/** Measures runs per second, fake vs MockAgent. */
export async function runFakeThroughput(context: BenchContext): Promise<RowResult[]> {
  const title = 'In-process fake: vm.run("true") per second, sequential';
  const goal = `ratio ≥ ${RATIO_GOAL}`;
  const sdk = await loadSdk();
  const testing = await loadTesting();
  if (!sdk.ok) return [notRun(2, "fake-throughput", title, goal, "skipped", sdk.reason)];
  if (!testing.ok) return [notRun(2, "fake-throughput", title, goal, "skipped", testing.reason)];

  const fake = await testing.module.createFakeArker({ python: false });
  const viaFake = new sdk.module.Arker(fake.clientOptions);
  const mock = new MockAgent();
  try {
    const fakeVm = await viaFake.fork("ubuntu");
    const canned = await cannedRunBody(fake, fakeVm.id);
    mock.disableNetConnect();
    mock
      .get(MOCK_ORIGIN)
      .intercept({ path: /^\/v1\/vms\/[^/]+\/runs$/, method: "POST" })
      .reply(200, canned, {
        headers: { "content-type": "application/json", "x-request-id": "req_bench" },
      })
      .persist();
    const viaMock = new sdk.module.Arker({
      apiKey: "ark_test_bench",
      baseUrl: MOCK_ORIGIN,
      dispatcher: mock,
    });
    const mockVm = viaMock.vm(fakeVm.id);

    const batch = context.pick(4000, 500);
    const rounds = context.pick(7, 3);
    context.log(`row 2: in-process fake, ${rounds} rounds × ${batch} runs per side, alternating`);
    const result = await pairedRounds(
      async () => {
        const [viaMockAgent, viaFakeDispatcher] = await alternateCalls(
          [() => mockVm.run("true"), () => fakeVm.run("true")],
          batch,
        );
        return { baseline: perSecond(viaMockAgent!), subject: perSecond(viaFakeDispatcher!) };
      },
      { warmupRounds: 1, rounds },
    );
    const verdict = atLeast(result.medianRatio, RATIO_GOAL);
    return [
      {
        row: 2,
        id: "fake-throughput",
        title,
        baseline: {
          label: "SDK over MockAgent (canned body)",
          value: result.medianBaseline,
          unit: "runs/s",
        },
        subject: { label: "SDK over fake.dispatcher", value: result.medianSubject, unit: "runs/s" },
        ratio: result.medianRatio,
        goal,
        ...verdict,
        status: "measured",
        note: `${batch} sequential runs per side and round, fake and MockAgent alternating call by call, ${rounds} rounds, one process; runs/s = calls ÷ summed call time; the fake runs each command in its simulated shell (python off)`,
        details: { ratios: result.ratios, baseline: result.baseline, subject: result.subject },
      },
    ];
  } finally {
    await mock.close();
    await viaFake.close();
    await fake.close();
  }
}

/** The fake's own answer to `run("true")`, as the body the MockAgent will replay. */
async function cannedRunBody(fake: BenchFake, vmId: string): Promise<string> {
  const base = fake.clientOptions.baseUrl.replace(/\/$/, "");
  const response = await request(`${base}/v1/vms/${vmId}/runs`, {
    dispatcher: fake.dispatcher,
    method: "POST",
    headers: { authorization: `Bearer ${fake.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ command: "true" }),
  });
  const text = await response.body.text();
  if (response.statusCode !== 200)
    throw new Error(`canned run failed: ${response.statusCode} ${text}`);
  return text;
}
