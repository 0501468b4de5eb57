import { randomFillSync } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProxyAgent, request } from "undici";
import { reportResult } from "../lib/child.js";
import { loadSdk, unwrap } from "../lib/packages.js";
import { scratchDir } from "../lib/scratch-dir.js";
import { median } from "../lib/stats.js";

/**
 * Transfers through the emulated link (`link-proxy.ts`), in a fresh process: every
 * connection of the SDK — API calls and signed URLs alike — goes through the proxy's
 * `CONNECT` tunnels. A warm-up first opens the connections (each one a round trip), then
 * the timed transfers run `repeats` times and the median is reported.
 *
 * Strategies: `sdk` (what the SDK does: `writeFile` / `readFile`), `raw` (undici `PUT` /
 * `GET` of the bytes to the bare node:http server at `url`: what the link and this machine
 * allow any client), `parallel-inline` (a
 * write as 1 MiB inline chunks of one `upload_id`, all in flight at once: the design
 * alternative for mid-size files), `presigned` (a write as presign + PUT + commit at any
 * size, as the SDK writes above 4 MiB), `write-files` (`writeFiles` of `count` files of
 * `bytes` each), `tree` (`vm.upload` of a local folder of `count` files of `bytes` each,
 * or of one file when `count` is 1; for `read`, `vm.download` of `path`, a folder or a
 * file, into a fresh local folder).
 *
 * Argument: JSON of {@link LinkTransferSpec}. Answer: {@link LinkTransferResult}.
 */

/** What to transfer. */
export interface LinkTransferSpec {
  proxyUrl: string;
  url: string;
  apiKey: string;
  vmId: string;
  op: "write" | "read";
  strategy: "sdk" | "raw" | "parallel-inline" | "presigned" | "write-files" | "tree";
  /** Bytes of the file (of each file, for `write-files`). */
  bytes: number;
  /** Files, for `write-files`. */
  count?: number;
  /** The file read, for `read`: written beforehand by the caller. */
  path: string;
  /** The small file the warm-up reads (for `read`). */
  warmupPath: string;
  repeats: number;
}

/** What the transfers took. */
export interface LinkTransferResult {
  /** Median of the timed transfers. */
  ms: number;
  times: number[];
  /** Tree transfers: median untimed time to make (upload) or prepare (download) the local side. */
  stageMs?: number;
  /**
   * Uploads of a folder: median time to write the same files with `writeFileSync` on the
   * disk (the OS's temporary folder), when the local folders live on tmpfs.
   */
  diskMs?: number;
}

const INLINE_CHUNK_BYTES = 1024 * 1024;
const WARMUP_BYTES = 64 * 1024;

const spec = JSON.parse(process.argv[2] ?? "{}") as LinkTransferSpec;
const { Arker } = unwrap(await loadSdk());
const dispatcher = new ProxyAgent({ uri: spec.proxyUrl });
const arker = new Arker({ apiKey: spec.apiKey, baseUrl: spec.url, dispatcher });
const vm = arker.vm(spec.vmId);
const payload =
  spec.op === "write" ? randomFillSync(new Uint8Array(spec.bytes * (spec.count ?? 1))) : null;

// Opens as many connections as the timed transfer will use, and runs its code once.
await Promise.all(
  Array.from({ length: spec.strategy === "parallel-inline" ? 4 : 1 }, (_, index) =>
    spec.strategy === "raw"
      ? raw("PUT", `/files/warmup-${index}`, new Uint8Array(WARMUP_BYTES))
      : spec.strategy === "tree"
        ? warmTree()
        : spec.strategy === "write-files"
          ? vm.writeFiles(
              Array.from({ length: 50 }, (_, file) => ({
                path: `/home/user/link-warmup-files/f${file}.bin`,
                data: new Uint8Array(spec.bytes),
              })),
            )
          : spec.op === "write"
            ? vm.writeFile(`/home/user/link-warmup-${index}.bin`, new Uint8Array(WARMUP_BYTES))
            : vm.readFile(spec.warmupPath),
  ),
);
const times: number[] = [];
const stageTimes: number[] = [];
const diskTimes: number[] = [];
for (let repeat = 0; repeat < spec.repeats; repeat++) {
  // The local folder (made for an upload, emptied after a download) is not the SDK's time.
  const staging = performance.now();
  const staged = stage();
  if (staged !== null) stageTimes.push(performance.now() - staging);
  try {
    const started = performance.now();
    await transfer(repeat, staged?.local ?? "");
    times.push(performance.now() - started);
  } finally {
    staged?.cleanup();
  }
}
reportResult({
  ms: median(times),
  times,
  ...(stageTimes.length > 0 ? { stageMs: median(stageTimes) } : {}),
  ...(diskTimes.length > 0 ? { diskMs: median(diskTimes) } : {}),
} satisfies LinkTransferResult);
await arker.close();
await dispatcher.close();
process.exit(0);

/** A local folder of `count` files (or one file when `count` is 1) holding the payload. */
function localTree(data: Uint8Array, under = scratchDir()): string {
  const root = mkdtempSync(join(under, "arker-bench-"));
  if ((spec.count ?? 1) === 1) {
    const file = join(root, "one.bin");
    writeFileSync(file, data);
    return file;
  }
  const folder = join(root, "tree");
  mkdirSync(folder);
  for (let index = 0; index < (spec.count ?? 1); index++) {
    writeFileSync(
      join(folder, `f${index}.bin`),
      data.subarray(index * spec.bytes, (index + 1) * spec.bytes),
    );
  }
  return folder;
}

/** Writes the folder on the disk instead (the floor of a download there), then removes it. */
function diskFloor(): number {
  const started = performance.now();
  const local = localTree(payload ?? new Uint8Array(), tmpdir());
  const ms = performance.now() - started;
  rmSync(join(local, ".."), { recursive: true, force: true });
  return ms;
}

/** For a tree transfer: the local source (upload) or destination (download), made untimed. */
function stage(): { local: string; cleanup(): void } | null {
  if (spec.strategy !== "tree") return null;
  if (spec.op === "write") {
    if ((spec.count ?? 1) > 1 && scratchDir() !== tmpdir()) diskTimes.push(diskFloor());
    const local = localTree(payload ?? new Uint8Array());
    return { local, cleanup: () => rmSync(join(local, ".."), { recursive: true, force: true }) };
  }
  const root = mkdtempSync(join(scratchDir(), "arker-bench-"));
  return {
    local: join(root, "out"),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

async function transfer(repeat: number, local: string): Promise<void> {
  if (spec.strategy === "tree") {
    if (spec.op === "write") {
      const remote =
        (spec.count ?? 1) === 1 ? `${spec.path}-r${repeat}.bin` : `${spec.path}/r${repeat}`;
      await vm.upload(local, remote);
      return;
    }
    await vm.download(spec.path, local);
    return;
  }
  if (spec.strategy === "raw") {
    const bytes = await raw(spec.op === "write" ? "PUT" : "GET", `/files${spec.path}`, payload);
    if (spec.op === "read" && bytes.byteLength !== spec.bytes) {
      throw new Error(`raw read ${bytes.byteLength} bytes`);
    }
    return;
  }
  if (spec.op === "read") {
    const bytes = await vm.readFile(spec.path);
    if (bytes.byteLength !== spec.bytes) throw new Error(`read ${bytes.byteLength} bytes`);
    return;
  }
  const data = payload ?? new Uint8Array();
  if (spec.strategy === "sdk") return vm.writeFile(spec.path, data);
  if (spec.strategy === "write-files") {
    const files = Array.from({ length: spec.count ?? 1 }, (_, index) => ({
      path: `${spec.path}/r${repeat}/f${index}.bin`,
      data: data.subarray(index * spec.bytes, (index + 1) * spec.bytes),
    }));
    return vm.writeFiles(files);
  }
  if (spec.strategy === "presigned") return presigned(spec.path, data);
  return parallelInline(spec.path, data, repeat);
}

/** Runs the tree call once on a small tree, so the timed calls are not the first. */
async function warmTree(): Promise<unknown> {
  if (spec.op === "read") {
    const local = mkdtempSync(join(scratchDir(), "arker-bench-"));
    try {
      return await vm.download(spec.warmupPath, join(local, "warm.bin"));
    } finally {
      rmSync(local, { recursive: true, force: true });
    }
  }
  const root = mkdtempSync(join(scratchDir(), "arker-bench-"));
  try {
    for (let index = 0; index < 5; index++) writeFileSync(join(root, `w${index}`), "w");
    return await vm.upload(root, "/home/user/link-warmup-tree");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** A raw undici PUT or GET through the link; a GET resolves to the body. */
async function raw(
  method: "PUT" | "GET",
  path: string,
  body: Uint8Array | null,
): Promise<Uint8Array> {
  const response = await request(`${spec.url}${path}`, {
    dispatcher,
    method,
    ...(method === "PUT" ? { body: body ?? new Uint8Array() } : {}),
  });
  if (response.statusCode !== 200) throw new Error(`raw ${method} ${response.statusCode}`);
  return new Uint8Array(await response.body.arrayBuffer());
}

/** One write as presign + PUT + commit, whatever its size (the SDK's path above 4 MiB). */
async function presigned(path: string, data: Uint8Array): Promise<void> {
  const { createHash } = await import("node:crypto");
  const sha256 = createHash("sha256").update(data).digest("hex");
  const write = async (entry: Record<string, unknown>) => {
    const { data: answer } = await arker.client.call("syncFiles", {
      params: { vm_id: spec.vmId },
      body: { op: "write", writes: [entry as never] },
    });
    return (answer as { results: Array<Record<string, unknown>> }).results[0]!;
  };
  const presign = await write({ path, size: data.byteLength, presigned: true, sha256 });
  await arker.client.transfer({ method: "PUT", url: String(presign.presigned_url), body: data });
  const commit = await write({ path, size: data.byteLength, upload_id: presign.upload_id, sha256 });
  if (commit.written !== true) throw new Error(`commit did not write: ${JSON.stringify(commit)}`);
}

/** One write as 1 MiB inline chunks of one upload, sent all at once. */
async function parallelInline(path: string, data: Uint8Array, repeat: number): Promise<void> {
  const { createHash } = await import("node:crypto");
  const sha256 = createHash("sha256").update(data).digest("hex");
  const uploadId = `upl_bench${process.pid}r${repeat}`;
  const chunks: Array<{ start: number; end: number }> = [];
  for (let start = 0; start < data.byteLength; start += INLINE_CHUNK_BYTES) {
    chunks.push({ start, end: Math.min(start + INLINE_CHUNK_BYTES, data.byteLength) });
  }
  const answers = await Promise.all(
    chunks.map(({ start, end }) =>
      arker.client.call("syncFiles", {
        params: { vm_id: spec.vmId },
        body: {
          op: "write",
          writes: [
            {
              path,
              size: data.byteLength,
              upload_id: uploadId,
              content: Buffer.from(data.buffer, data.byteOffset + start, end - start).toString(
                "base64",
              ),
              start,
              end,
              sha256,
            },
          ],
        },
      }),
    ),
  );
  const written = answers.some(
    (answer) =>
      (answer.data as { results?: Array<{ written?: boolean }> }).results?.[0]?.written === true,
  );
  if (!written)
    throw new Error(
      `parallel inline write never completed: ${JSON.stringify(answers.map((a) => a.data))}`,
    );
}
