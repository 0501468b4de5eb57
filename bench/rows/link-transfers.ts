import type { LinkTransferResult, LinkTransferSpec } from "../children/link-transfer-client.js";
import { childScript, runChild, type ServerProcess, startServer } from "../lib/child.js";
import type { BenchContext } from "../lib/context.js";
import { loadSdk, type SdkModule } from "../lib/packages.js";
import { atMost, fmt, notRun, type RowResult } from "../lib/result.js";
import { scratchIsMemory } from "../lib/scratch-dir.js";
import { median } from "../lib/stats.js";

/**
 * Row 7: transfers on an emulated link. A proxy in its own process (`link-proxy.ts`) sits
 * between the client and the listening fake, adding 20 ms of round trip and capping each
 * direction at 250 Mbit/s; every connection of the client crosses it. Figures are set
 * against the link's physical limit: payload ÷ bandwidth + one round trip, per direction.
 *
 * @module
 */

const MIB = 1024 * 1024;
const RTT_MS = 20;
const MBIT = 250;
const GOAL = 1.3;
const MANY_FILES_GOAL = 3;
const FILE_COUNT = 1000;
const SMALL_FILE_BYTES = 1024;
/** Per size in MiB: rounds (each a fresh write client and a fresh read client) and timed transfers per client. */
const PLAN: ReadonlyArray<{ mib: number; rounds: number; repeats: number }> = [
  { mib: 1, rounds: 3, repeats: 5 },
  { mib: 10, rounds: 3, repeats: 2 },
  { mib: 100, rounds: 2, repeats: 1 },
];

/** The fastest one direction of the link can carry `bytes`, plus one round trip. */
export function physicalLimitMs(bytes: number): number {
  return (bytes * 8) / (MBIT * 1000) + RTT_MS;
}

interface Setup {
  fake: ServerProcess<{ url: string; apiKey: string }>;
  bare: ServerProcess<{ url: string }>;
  proxy: ServerProcess<{ url: string }>;
  vmId: string;
  arker: InstanceType<SdkModule["Arker"]>;
}

/** Measures the emulated-link rows. */
export async function runLinkTransfers(context: BenchContext): Promise<RowResult[]> {
  const sdk = await loadSdk();
  if (!sdk.ok) {
    return PLAN.map(({ mib }) =>
      notRun(7, `link-${mib}mib`, title(mib), `ratio ≤ ${GOAL}`, "skipped", sdk.reason),
    );
  }
  const fake = await startServer<{ url: string; apiKey: string }>(childScript("fake-server.ts"));
  const bare = await startServer<{ url: string }>(childScript("bare-http-server.ts"));
  const proxy = await startServer<{ url: string }>(childScript("link-proxy.ts"), [
    `--rtt-ms=${RTT_MS}`,
    `--mbit=${MBIT}`,
  ]);
  const arker = new sdk.module.Arker({ apiKey: fake.info.apiKey, baseUrl: fake.info.url });
  try {
    const vm = await arker.fork("ubuntu");
    const setup: Setup = { fake, bare, proxy, vmId: vm.id, arker };
    await vm.writeFile("/home/user/link-warmup.bin", new Uint8Array(64 * 1024));
    const results: RowResult[] = [];
    for (const { mib, rounds, repeats } of PLAN) {
      results.push(await sizeRow(context, setup, mib, context.pick(rounds, 1), repeats));
    }
    results.push(...(await midSizeRows(context, setup)));
    results.push(await manyFilesRow(context, setup));
    results.push(...(await treeRows(context, setup)));
    return results;
  } finally {
    await arker.close();
    await proxy.stop();
    await bare.stop();
    await fake.stop();
  }
}

function title(mib: number): string {
  return `Link: ${mib} MiB write + read vs the physical limit (20 ms RTT, 250 Mbit/s)`;
}

/** One timed client process; `path` is the file written or read. */
function transfer(
  setup: Setup,
  spec: Pick<LinkTransferSpec, "op" | "strategy" | "bytes" | "path" | "repeats"> & {
    count?: number;
  },
): Promise<LinkTransferResult> {
  const full: LinkTransferSpec = {
    proxyUrl: setup.proxy.info.url,
    url: spec.strategy === "raw" ? setup.bare.info.url : setup.fake.info.url,
    apiKey: setup.fake.info.apiKey,
    vmId: setup.vmId,
    warmupPath: "/home/user/link-warmup.bin",
    ...spec,
  };
  return runChild<LinkTransferResult>(childScript("link-transfer-client.ts"), [
    JSON.stringify(full),
  ]);
}

async function sizeRow(
  context: BenchContext,
  setup: Setup,
  mib: number,
  rounds: number,
  repeats: number,
): Promise<RowResult> {
  const bytes = mib * MIB;
  const limit = 2 * physicalLimitMs(bytes);
  context.log(`row 7: ${mib} MiB over the link, ${rounds} rounds × ${repeats} write+read`);
  const path = `/home/user/link-${mib}mib.bin`;
  const writes: number[] = [];
  const reads: number[] = [];
  const raws: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const base = { strategy: "sdk" as const, bytes, path, repeats };
    const rawBase = { ...base, strategy: "raw" as const };
    writes.push((await transfer(setup, { ...base, op: "write" })).ms);
    reads.push((await transfer(setup, { ...base, op: "read" })).ms);
    raws.push(
      (await transfer(setup, { ...rawBase, op: "write" })).ms +
        (await transfer(setup, { ...rawBase, op: "read" })).ms,
    );
  }
  const totals = writes.map((write, index) => write + reads[index]!);
  const rawRatio = median(raws.map((raw) => raw / limit));
  const ratios = totals.map((total) => total / limit);
  const ratio = median(ratios);
  return {
    row: 7,
    id: `link-${mib}mib`,
    title: title(mib),
    baseline: { label: "physical limit, write + read", value: limit, unit: "ms" },
    subject: { label: "SDK writeFile + readFile", value: median(totals), unit: "ms" },
    ratio,
    goal: `ratio ≤ ${GOAL}`,
    ...atMost(ratio, GOAL),
    status: "measured",
    note:
      `write ${fmt(median(writes))} ms, read ${fmt(median(reads))} ms against ${fmt(limit / 2)} ms per direction; ` +
      `raw undici PUT + GET of the same bytes through the same link to a bare node:http server: ${fmt(median(raws))} ms, ${fmt(rawRatio)}× the limit (what the emulated link and this machine allow any client); ` +
      `${rounds} rounds, each a fresh write client and a fresh read client timing ${repeats} transfer(s) (median) after a warm-up that opens the connection; ` +
      (bytes > 4 * MIB
        ? "above 4 MiB the SDK presigns, PUTs (raw bytes) and commits; a read gets a signed URL and GETs it"
        : "at 4 MiB and below a write is one request of the raw bytes (sync-file) and a read comes back as the raw bytes (Accept: application/octet-stream)"),
    details: { ratios, writesMs: writes, readsMs: reads, rawMs: raws, rawRatio, limitMs: limit },
  };
}

/**
 * The mid-size design choice, at 4 MiB: one request (what the SDK sends up to 4 MiB: the
 * raw bytes through `sync-file`), four 1 MiB inline JSON chunks of one upload in parallel,
 * and presign + PUT + commit
 * (what the SDK does from 4 MiB + 1 byte); reads inline against a signed URL likewise.
 */
async function midSizeRows(context: BenchContext, setup: Setup): Promise<RowResult[]> {
  const inlineBytes = 4 * MIB;
  const presignedBytes = 4 * MIB + 1;
  const rounds = context.pick(2, 1);
  context.log(`row 7: 4 MiB design choice, ${rounds} rounds of each strategy`);
  const write = { inline: [] as number[], parallel: [] as number[], presigned: [] as number[] };
  const read = { inline: [] as number[], presigned: [] as number[] };
  const repeats = 3;
  for (let round = 0; round < rounds; round++) {
    const inlinePath = "/home/user/link-mid-inline.bin";
    const presignedPath = "/home/user/link-mid-presigned.bin";
    const common = { op: "write" as const, repeats };
    write.inline.push(
      (await transfer(setup, { ...common, strategy: "sdk", bytes: inlineBytes, path: inlinePath }))
        .ms,
    );
    write.parallel.push(
      (
        await transfer(setup, {
          ...common,
          strategy: "parallel-inline",
          bytes: inlineBytes,
          path: "/home/user/link-mid-parallel.bin",
        })
      ).ms,
    );
    write.presigned.push(
      (
        await transfer(setup, {
          ...common,
          strategy: "sdk",
          bytes: presignedBytes,
          path: presignedPath,
        })
      ).ms,
    );
    const reading = { op: "read" as const, strategy: "sdk" as const, repeats };
    read.inline.push(
      (await transfer(setup, { ...reading, bytes: inlineBytes, path: inlinePath })).ms,
    );
    read.presigned.push(
      (await transfer(setup, { ...reading, bytes: presignedBytes, path: presignedPath })).ms,
    );
  }
  const limit = physicalLimitMs(inlineBytes);
  const figure = (
    id: string,
    what: string,
    subject: number[],
    baseline: number[],
    labels: [string, string],
    note: string,
  ): RowResult => {
    const ratio = median(subject.map((value, index) => value / baseline[index]!));
    return {
      row: 7,
      id,
      title: `Link: 4 MiB ${what}`,
      baseline: { label: labels[0], value: median(baseline), unit: "ms" },
      subject: { label: labels[1], value: median(subject), unit: "ms" },
      ratio,
      goal: null,
      pass: null,
      margin: null,
      status: "measured",
      note: `${note}; physical limit ${fmt(limit)} ms per direction; ${rounds} rounds of ${repeats} transfers per strategy`,
      details: { baselineMs: baseline, subjectMs: subject, limitMs: limit },
    };
  };
  return [
    figure(
      "link-mid-write-inline",
      "write: one request (sync-file) vs presign + PUT + commit",
      write.inline,
      write.presigned,
      ["presign + PUT + commit (4 MiB + 1 B)", "one request, raw bytes (4 MiB)"],
      `one request is ${fmt(median(write.inline) / limit)}× the limit, presigned ${fmt(median(write.presigned) / limit)}×`,
    ),
    figure(
      "link-mid-write-parallel",
      "write: four parallel inline chunks vs presign + PUT + commit",
      write.parallel,
      write.presigned,
      ["presign + PUT + commit (4 MiB + 1 B)", "4 × 1 MiB inline chunks in parallel"],
      `parallel inline is ${fmt(median(write.parallel) / limit)}× the limit`,
    ),
    figure(
      "link-mid-read",
      "read: inline vs signed URL",
      read.inline,
      read.presigned,
      ["signed URL GET (4 MiB + 1 B)", "inline (4 MiB)"],
      `inline is ${fmt(median(read.inline) / limit)}× the limit, signed URL ${fmt(median(read.presigned) / limit)}×`,
    ),
  ];
}

/** `writeFiles` of 1 000 files of 1 KiB against one `writeFile` of the same total. */
async function manyFilesRow(context: BenchContext, setup: Setup): Promise<RowResult> {
  const id = "link-write-files";
  const rowTitle = `Link: writeFiles of ${FILE_COUNT} × 1 KiB vs one file of the same size`;
  const vm = setup.arker.vm(setup.vmId) as { writeFiles?: unknown };
  if (typeof vm.writeFiles !== "function") {
    return notRun(7, id, rowTitle, `ratio ≤ ${MANY_FILES_GOAL}`, "skipped", "no vm.writeFiles");
  }
  const rounds = context.pick(3, 1);
  context.log(`row 7: ${FILE_COUNT} files of 1 KiB, ${rounds} rounds`);
  const many: number[] = [];
  const one: number[] = [];
  for (let round = 0; round < rounds; round++) {
    one.push(
      (
        await transfer(setup, {
          op: "write",
          strategy: "sdk",
          bytes: FILE_COUNT * SMALL_FILE_BYTES,
          path: "/home/user/link-one.bin",
          repeats: 3,
        })
      ).ms,
    );
    many.push(
      (
        await transfer(setup, {
          op: "write",
          strategy: "write-files",
          bytes: SMALL_FILE_BYTES,
          count: FILE_COUNT,
          path: `/home/user/link-many-${round}`,
          repeats: 3,
        })
      ).ms,
    );
  }
  const ratio = median(many.map((value, index) => value / one[index]!));
  return {
    row: 7,
    id,
    title: rowTitle,
    baseline: { label: "writeFile of 1 000 KiB", value: median(one), unit: "ms" },
    subject: { label: `writeFiles of ${FILE_COUNT} × 1 KiB`, value: median(many), unit: "ms" },
    ratio,
    goal: `ratio ≤ ${MANY_FILES_GOAL}`,
    ...atMost(ratio, MANY_FILES_GOAL),
    status: "measured",
    note: `${rounds} rounds, each a fresh client per side timing 3 transfers (median); writeFiles batches up to 1 000 files / 4 MiB per inline call`,
    details: { manyMs: many, oneMs: one },
  };
}

/**
 * `vm.upload` of a folder of 1 000 files of 1 KiB against `vm.upload` of one file of the
 * same total, and `vm.download` of such a folder (written beforehand) against one file.
 */
async function treeRows(context: BenchContext, setup: Setup): Promise<RowResult[]> {
  const vm = setup.arker.vm(setup.vmId) as { upload?: unknown; download?: unknown };
  const uploadTitle = `Link: upload of a folder of ${FILE_COUNT} × 1 KiB vs one file of the same size`;
  const downloadTitle = `Link: download of a folder of ${FILE_COUNT} × 1 KiB vs one file of the same size`;
  if (typeof vm.upload !== "function" || typeof vm.download !== "function") {
    const reason = "vm.upload / vm.download have not landed";
    return [
      notRun(7, "link-upload", uploadTitle, `ratio ≤ ${MANY_FILES_GOAL}`, "skipped", reason),
      notRun(7, "link-download", downloadTitle, `ratio ≤ ${MANY_FILES_GOAL}`, "skipped", reason),
    ];
  }
  const total = FILE_COUNT * SMALL_FILE_BYTES;
  const content = new Uint8Array(total).map((_, index) => index % 251);
  const remote = setup.arker.vm(setup.vmId);
  await remote.writeFile("/home/user/link-tree-one.bin", content);
  await remote.writeFiles(
    Array.from({ length: FILE_COUNT }, (_, index) => ({
      path: `/home/user/link-tree/f${index}.bin`,
      data: content.subarray(index * SMALL_FILE_BYTES, (index + 1) * SMALL_FILE_BYTES),
    })),
  );
  const memory = scratchIsMemory();
  const rounds = context.pick(3, 1);
  context.log(`row 7: upload and download of ${FILE_COUNT} files vs one, ${rounds} rounds`);
  const upload = { many: [] as number[], one: [] as number[] };
  const download = { many: [] as number[], one: [] as number[] };
  /** Writing the upload's local folder (untimed): what the local disk asks of any download. */
  const localFolderMs: number[] = [];
  /** The same on the disk, when the local folders live on tmpfs. */
  const diskFolderMs: number[] = [];
  const tree = { strategy: "tree" as const, repeats: 3 };
  for (let round = 0; round < rounds; round++) {
    upload.one.push(
      (
        await transfer(setup, {
          ...tree,
          op: "write",
          bytes: total,
          count: 1,
          path: "/home/user/up-one",
        })
      ).ms,
    );
    const many = await transfer(setup, {
      ...tree,
      op: "write",
      bytes: SMALL_FILE_BYTES,
      count: FILE_COUNT,
      path: `/home/user/up-many-${round}`,
    });
    upload.many.push(many.ms);
    if (many.stageMs !== undefined) localFolderMs.push(many.stageMs);
    if (many.diskMs !== undefined) diskFolderMs.push(many.diskMs);
    download.one.push(
      (
        await transfer(setup, {
          ...tree,
          op: "read",
          bytes: total,
          path: "/home/user/link-tree-one.bin",
        })
      ).ms,
    );
    download.many.push(
      (await transfer(setup, { ...tree, op: "read", bytes: total, path: "/home/user/link-tree" }))
        .ms,
    );
  }
  const figure = (
    id: string,
    rowTitle: string,
    sides: { many: number[]; one: number[] },
    labels: [string, string],
  ): RowResult => {
    const ratio = median(sides.many.map((value, index) => value / sides.one[index]!));
    return {
      row: 7,
      id,
      title: rowTitle,
      baseline: { label: labels[0], value: median(sides.one), unit: "ms" },
      subject: { label: labels[1], value: median(sides.many), unit: "ms" },
      ratio,
      goal: `ratio ≤ ${MANY_FILES_GOAL}`,
      ...atMost(ratio, MANY_FILES_GOAL),
      status: "measured",
      note: `${rounds} rounds, each a fresh client per side timing 3 calls (median) after one warm-up call on a small tree; the local folder is made (upload) and removed (after a download) outside the timed call, ${memory ? "on tmpfs (/dev/shm)" : "on the disk (no tmpfs here)"}; upload sends one tar archive, download has the VM tar the folder and reads the archive; writing the same ${FILE_COUNT} local files with node's writeFileSync took ${fmt(median(localFolderMs))} ms ${memory ? `there and ${fmt(median(diskFolderMs))} ms on this machine's disk (medians, same run): the disk's floor for a download to the disk, which this row leaves out` : "(median, same run): the local disk's floor for any download of this folder"}`,
      details: { manyMs: sides.many, oneMs: sides.one, localFolderMs, diskFolderMs },
    };
  };
  return [
    figure("link-upload", uploadTitle, upload, [
      "vm.upload of one 1 000 KiB file",
      `vm.upload of a folder of ${FILE_COUNT} × 1 KiB`,
    ]),
    figure("link-download", downloadTitle, download, [
      "vm.download of one 1 000 KiB file",
      `vm.download of a folder of ${FILE_COUNT} × 1 KiB`,
    ]),
  ];
}
