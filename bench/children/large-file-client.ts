import { randomFillSync } from "node:crypto";
import { request } from "undici";
import { reportResult } from "../lib/child.js";
import { loadSdk, unwrap } from "../lib/packages.js";
import { peakRss, resetPeakRss } from "../lib/rss.js";
import { median } from "../lib/stats.js";
import { collectGarbage } from "../lib/timing.js";

/**
 * One measured transfer in its own process, so its peak RSS is its own: a write or a
 * read of `bytes` bytes, through the SDK (to a VM on the listening fake) or with raw
 * undici (to the bare node:http server). A small warm-up transfer (64 KiB: connection,
 * first JIT) runs first; then a GC, the peak RSS is reset and the timed transfer runs.
 * The warm-up is kept small on purpose: the allocator keeps the pages of a large freed
 * transfer, which would then hide the measured transfer's own peak. With `repeats` > 1
 * the same transfer runs again that many times in all, after the memory figure is
 * taken, and the time reported is the median (small sizes are otherwise all cold start).
 *
 * Argument: JSON of {@link LargeFileSpec}. Answer: {@link LargeFileResult}.
 */

/** What to transfer. */
export interface LargeFileSpec {
  side: "sdk" | "raw";
  op: "write" | "read";
  /** The fake's base URL (sdk) or the bare server's URL (raw). */
  url: string;
  apiKey?: string;
  vmId?: string;
  bytes: number;
  /** Timed transfers in all (the first also gives the memory figure). Default 1. */
  repeats?: number;
}

/** What one transfer cost. */
export interface LargeFileResult {
  /** Median time of the timed transfers. */
  ms: number;
  bytes: number;
  /** RSS just before the timed transfer (after the payload exists, for a write). */
  rssBefore: number;
  /** Highest RSS during the timed transfer. */
  peakRss: number;
  /** Whether the peak could be reset to the transfer's window (Linux). */
  windowed: boolean;
}

/** Size of the warm-up transfer. */
const WARMUP_BYTES = 64 * 1024;

const spec = JSON.parse(process.argv[2] ?? "{}") as LargeFileSpec;
const transfer = await transferFunction(spec);
const payload = spec.op === "write" ? randomFillSync(new Uint8Array(spec.bytes)) : null;

await transfer("warmup", spec.op === "write" ? randomFillSync(new Uint8Array(WARMUP_BYTES)) : null);
collectGarbage();
const rssBefore = process.memoryUsage.rss();
const windowed = resetPeakRss();
const started = performance.now();
const received = await transfer("measured", payload);
const times = [performance.now() - started];
const peak = peakRss();
checkLength(received);
for (let repeat = 1; repeat < (spec.repeats ?? 1); repeat++) {
  const again = performance.now();
  checkLength(await transfer("measured", payload));
  times.push(performance.now() - again);
}
reportResult({
  ms: median(times),
  bytes: spec.bytes,
  rssBefore,
  peakRss: peak,
  windowed,
} satisfies LargeFileResult);
process.exit(0);

function checkLength(received: Uint8Array | null): void {
  if (received !== null && received.byteLength !== spec.bytes) {
    throw new Error(`read ${received.byteLength} bytes, expected ${spec.bytes}`);
  }
}

type Transfer = (name: string, payload: Uint8Array | null) => Promise<Uint8Array | null>;

async function transferFunction(spec: LargeFileSpec): Promise<Transfer> {
  const fileName = (name: string) => `bench-${spec.bytes}-${name}.bin`;
  if (spec.side === "sdk") {
    const { Arker } = unwrap(await loadSdk());
    const vm = new Arker({ apiKey: spec.apiKey ?? "", baseUrl: spec.url }).vm(spec.vmId ?? "");
    return async (name, data) => {
      const path = `/home/user/${fileName(name)}`;
      if (data) {
        await vm.writeFile(path, data);
        return null;
      }
      return vm.readFile(path);
    };
  }
  return async (name, data) => {
    const url = `${spec.url}/files/${fileName(name)}`;
    if (data) {
      const response = await request(url, {
        method: "PUT",
        body: data,
        headers: { "content-type": "application/octet-stream" },
      });
      await response.body.dump();
      if (response.statusCode !== 200) throw new Error(`PUT ${response.statusCode}`);
      return null;
    }
    const response = await request(url);
    if (response.statusCode !== 200) throw new Error(`GET ${response.statusCode}`);
    return new Uint8Array(await response.body.arrayBuffer());
  };
}
