import type { LargeFileResult, LargeFileSpec } from "../children/large-file-client.js";
import { childScript, runChild, startServer } from "../lib/child.js";
import type { BenchContext } from "../lib/context.js";
import { compare, interleaveMany } from "../lib/interleave.js";
import { loadSdk, loadTesting } from "../lib/packages.js";
import { atLeast, atMost, notRun, type RowResult, type Verdict } from "../lib/result.js";
import { median } from "../lib/stats.js";

/**
 * Row 4: large files. For 1, 10 and 100 MiB, a write then a read through the SDK (a VM
 * on the listening fake, in its own process) vs raw undici PUT/GET of the same bytes to
 * a bare node:http server (in its own process). Every transfer runs in a fresh client
 * process: throughput is bytes over the transfer's own time, and memory is the
 * transfer's peak RSS over the client's RSS just before it, as a multiple of the payload.
 *
 * @module
 */

const MIB = 1024 * 1024;
const SIZES_MIB = [1, 10, 100];
const GOAL_SIZE_MIB = 100;
const THROUGHPUT_GOAL = 0.5;
const RSS_GOAL = 2.5;
/** Timed transfers per client process, by size in MiB. */
const REPEATS: Readonly<Record<number, number>> = { 1: 7, 10: 3, 100: 1 };

interface SideSamples {
  write: LargeFileResult[];
  read: LargeFileResult[];
}

/** Measures the large-file rows. */
export async function runLargeFiles(context: BenchContext): Promise<RowResult[]> {
  const sdk = await loadSdk();
  const testing = await loadTesting();
  if (!sdk.ok || !testing.ok) {
    const reason = sdk.ok ? (testing.ok ? "" : testing.reason) : sdk.reason;
    return SIZES_MIB.flatMap((size) => [
      notRun(
        4,
        `large-${size}mib-throughput`,
        throughputTitle(size),
        throughputGoal(size),
        "skipped",
        reason,
      ),
      notRun(4, `large-${size}mib-rss`, rssTitle(size), rssGoal(size), "skipped", reason),
    ]);
  }
  const fake = await startServer<{ url: string; apiKey: string }>(childScript("fake-server.ts"));
  const bare = await startServer<{ url: string }>(childScript("bare-http-server.ts"));
  const arker = new sdk.module.Arker({ apiKey: fake.info.apiKey, baseUrl: fake.info.url });
  try {
    const vm = await arker.fork("ubuntu");
    const results: RowResult[] = [];
    for (const sizeMib of SIZES_MIB) {
      const rounds = context.pick(sizeMib === GOAL_SIZE_MIB ? 5 : 3, 1);
      context.log(`row 4: ${sizeMib} MiB, ${rounds} rounds (+1 warm-up) of write+read per side`);
      const bytes = sizeMib * MIB;
      const raw: SideSamples = { write: [], read: [] };
      const viaSdk: SideSamples = { write: [], read: [] };
      // Small transfers are repeated inside each client (median time) so cold start does not dominate.
      const base = { bytes, repeats: REPEATS[sizeMib] ?? 1 };
      const side =
        (samples: SideSamples, spec: Omit<LargeFileSpec, "op">) => async (round: number) => {
          const write = await runChild<LargeFileResult>(childScript("large-file-client.ts"), [
            JSON.stringify({ ...spec, op: "write" }),
          ]);
          const read = await runChild<LargeFileResult>(childScript("large-file-client.ts"), [
            JSON.stringify({ ...spec, op: "read" }),
          ]);
          if (round >= 0) {
            samples.write.push(write);
            samples.read.push(read);
          }
          return (2 * bytes) / MIB / ((write.ms + read.ms) / 1000);
        };
      const [rawRate, sdkRate] = await interleaveMany(
        [
          side(raw, { ...base, side: "raw", url: bare.info.url }),
          side(viaSdk, {
            ...base,
            side: "sdk",
            url: fake.info.url,
            apiKey: fake.info.apiKey,
            vmId: vm.id,
          }),
        ],
        { warmupRounds: 1, rounds },
      );
      results.push(...summarise(sizeMib, rawRate!, sdkRate!, raw, viaSdk));
    }
    return results;
  } finally {
    await arker.close();
    await fake.stop();
    await bare.stop();
  }
}

function summarise(
  sizeMib: number,
  rawRate: number[],
  sdkRate: number[],
  raw: SideSamples,
  viaSdk: SideSamples,
): RowResult[] {
  const bytes = sizeMib * MIB;
  const throughput = compare(rawRate, sdkRate);
  const opRatio = (op: "write" | "read") =>
    compare(
      raw[op].map((sample) => bytes / sample.ms),
      viaSdk[op].map((sample) => bytes / sample.ms),
    ).medianRatio;
  const multiple = (samples: LargeFileResult[]) =>
    median(samples.map((sample) => (sample.peakRss - sample.rssBefore) / bytes));
  const rss = {
    rawWrite: multiple(raw.write),
    rawRead: multiple(raw.read),
    sdkWrite: multiple(viaSdk.write),
    sdkRead: multiple(viaSdk.read),
  };
  const sdkRss = Math.max(rss.sdkWrite, rss.sdkRead);
  const rawRss = Math.max(rss.rawWrite, rss.rawRead);
  const gated = sizeMib === GOAL_SIZE_MIB;
  const throughputVerdict: Verdict | null = gated
    ? atLeast(throughput.medianRatio, THROUGHPUT_GOAL)
    : null;
  const rssVerdict: Verdict | null = gated ? atMost(sdkRss, RSS_GOAL, "× payload") : null;
  const windowed = [...raw.write, ...raw.read, ...viaSdk.write, ...viaSdk.read].every(
    (s) => s.windowed,
  );
  return [
    {
      row: 4,
      id: `large-${sizeMib}mib-throughput`,
      title: throughputTitle(sizeMib),
      baseline: {
        label: "raw undici PUT+GET to node:http",
        value: throughput.medianBaseline,
        unit: "MiB/s",
      },
      subject: {
        label: "SDK writeFile+readFile to the fake",
        value: throughput.medianSubject,
        unit: "MiB/s",
      },
      ratio: throughput.medianRatio,
      goal: throughputGoal(sizeMib),
      pass: throughputVerdict?.pass ?? null,
      margin: throughputVerdict?.margin ?? null,
      status: "measured",
      note: `write alone ${opRatio("write").toFixed(2)}×, read alone ${opRatio("read").toFixed(2)}× (SDK ÷ raw)${sizeMib <= 4 ? "; at this size a write is one request of the raw bytes (sync-file)" : "; above 4 MiB the SDK presigns, PUTs, commits"}`,
      details: { ratios: throughput.ratios, raw, sdk: viaSdk },
    },
    {
      row: 4,
      id: `large-${sizeMib}mib-rss`,
      title: rssTitle(sizeMib),
      baseline: {
        label: "raw undici, peak over pre-transfer RSS",
        value: rawRss,
        unit: "× payload",
      },
      subject: { label: "SDK, peak over pre-transfer RSS", value: sdkRss, unit: "× payload" },
      ratio: sdkRss / rawRss,
      goal: rssGoal(sizeMib),
      pass: rssVerdict?.pass ?? null,
      margin: rssVerdict?.margin ?? null,
      status: "measured",
      note:
        `the larger of write and read; SDK write ${rss.sdkWrite.toFixed(2)}×, read ${rss.sdkRead.toFixed(2)}×; ` +
        `raw write ${rss.rawWrite.toFixed(2)}×, read ${rss.rawRead.toFixed(2)}× (a write's payload is in the pre-transfer RSS; a read's result is not)` +
        (windowed ? "" : "; peak is the process lifetime peak (no /proc/self/clear_refs)"),
    },
  ];
}

function throughputTitle(sizeMib: number): string {
  return `Large files: ${sizeMib} MiB write + read throughput`;
}

function rssTitle(sizeMib: number): string {
  return `Large files: ${sizeMib} MiB peak client RSS over pre-transfer`;
}

function throughputGoal(sizeMib: number): string | null {
  return sizeMib === GOAL_SIZE_MIB ? `ratio ≥ ${THROUGHPUT_GOAL}` : null;
}

function rssGoal(sizeMib: number): string | null {
  return sizeMib === GOAL_SIZE_MIB ? `SDK ≤ ${RSS_GOAL}× payload` : null;
}
