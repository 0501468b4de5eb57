import type { RowDescription } from "./report.js";

/**
 * What each row measures and against what, for BENCHMARKS.md.
 *
 * @module
 */
export const ROW_DESCRIPTIONS: Readonly<Record<number, RowDescription>> = {
  1: {
    heading: "SDK call overhead",
    text: [
      'Subject: `vm.run("true")` through the SDK (its own keep-alive Agent, 64 connections) against a listening fake running in its own process.',
      "Baseline: the very request the SDK sends — method, path, headers and body captured once through a recording dispatcher on a throwaway SDK client (the measured client carries no recording) — with a fresh `Idempotency-Key` per call, sent with raw `undici.request` over a keep-alive `Pool` (64 connections) to the same server, response parsed as JSON.",
      "Latency: 400 sequential calls per side and round, raw and SDK alternating call by call (so both meet the same machine moment), median latency per side, ratio SDK ÷ raw per round; 1 warm-up + 7 rounds. Throughput: per round, 12 alternating short batches of 192 calls per side with 64 in flight (short batches make a burst of outside load fall on both sides), calls per second per side over the round; 1 warm-up + 11 rounds, spread over 64 VMs so that the fake's per-session queue is not the limit; ratio SDK ÷ raw. The client's CPU time per call is recorded too, because on 2 cores the server process is the bottleneck and hides client cost from the throughput ratio.",
    ].join(" "),
  },
  2: {
    heading: "In-process fake throughput",
    text: [
      'Subject: sequential `vm.run("true")` through the SDK over `fake.dispatcher` (no socket; the fake runs the command in its simulated shell, python off).',
      "Baseline: the same SDK calls over an undici `MockAgent` replying the fake's own completed-run body (captured once) — the floor for any dispatcher-based mock.",
      "Both sides alternate call by call, 4 000 calls each per round; runs/s = calls ÷ summed call time. Ratio: fake ÷ MockAgent, 1 warm-up + 7 rounds in one process. Goal: at least 20 000 runs/s on this machine, or within 3× of the MockAgent (ratio ≥ 0.333).",
    ].join(" "),
  },
  3: {
    heading: "Fork cost growth",
    text: [
      "Parents holding 0, 1 000, 10 000 and 100 000 empty files (seeded through the public surface: `touch` runs in the simulated shell, 10 000 files per directory, count checked through `fake.files`) on the in-process fake; forks through the SDK over `fake.dispatcher`.",
      "Time: 200 forks per parent and round, the four parents alternating fork by fork, median latency per parent, ratio against the empty parent of the same round; 1 warm-up + 7 rounds. Memory: per round a batch of 200 forks of each parent (rotating order) between two full GCs (`--expose-gc`), children kept alive; heap retained per fork, ratio against the empty parent.",
      "Goal: the 100 000-file parent within 2× of the empty one, and retained bytes per fork that do not grow with the file count (no per-fork copy).",
    ].join(" "),
  },
  4: {
    heading: "Large files",
    text: [
      "Subject: `vm.writeFile` then `vm.readFile` of 1, 10 and 100 MiB of random bytes through the SDK, to a VM on the listening fake (its own process).",
      "Baseline: raw undici `PUT` of the same bytes (body: the `Uint8Array`) and `GET` (`body.arrayBuffer()`) to a bare node:http server (its own process) that holds them in memory.",
      "Every transfer runs in a fresh client process: a 64 KiB warm-up transfer (connection, first JIT), a GC, then the timed one, which also gives the memory figure; at 1 and 10 MiB the same transfer then runs again (7 and 3 times in all) and the median time is kept, so that cold start does not dominate. Throughput: bytes over the transfer's own time, write + read combined, ratio SDK ÷ raw. Memory: the kernel's peak RSS (VmHWM, reset through `/proc/self/clear_refs` just before the transfer) minus the RSS just before it, as a multiple of the payload; a write's payload already exists before the transfer, a read's result does not.",
      "Rounds: 1 warm-up + 5 at 100 MiB, + 3 at 1 and 10 MiB. Goals apply at 100 MiB; at 1 MiB the memory multiple is dominated by fixed costs (V8's young generation, JIT, undici buffers), not by the payload. Profile of a 100 MiB SDK write (client): the client is idle about two thirds of the time, waiting on the fake's presigned PUT and commit (which verifies the SHA-256); its own SHA-256 of the payload takes ~0.1 s; the fake spends ~85 ms collecting the PUT body and ~80 ms re-hashing it per 100 MiB, and is otherwise idle too — on this shared machine both sides of both comparisons wait on loopback I/O most of the time. Below 4 MiB the bytes travel inline as base64 JSON, which is why small writes trail raw PUTs most.",
    ].join(" "),
  },
  5: {
    heading: "Start-up and bundle size",
    text: [
      "Wall time of a fresh `node` process (spawn to exit) that cold-imports the umbrella, or core + vm, or undici alone (for reference: the SDK's one dependency), or runs `arker --help`, against `node -e 0`; all interleaved (the starting process rotating each round), 3 warm-up + 30 kept rounds. No goal: reported so regressions show.",
      "Sizes: esbuild bundles an entry re-exporting the packages (`bundle`, `minify`, `platform: node`, `format: esm`, `undici` external), gzipped with node:zlib level 9; 1 kB = 1000 B. The same figures are enforced by `pnpm --filter @arker-ai/bench check-size`.",
    ].join(" "),
  },
  6: {
    heading: "PTY keystroke echo",
    text: [
      "Subject: one key (`a`) typed through `vm.pty` into a shell's terminal on the listening fake (its own process), timed until its echo comes back as the next output chunk.",
      "Baseline: one byte sent over undici's WebSocket (the client the SDK uses) to a bare `ws` echo server (its own process), timed until it comes back.",
      "Sides alternate key by key, 400 keys per side and round, median round trip per side, ratio PTY ÷ bare; 1 warm-up + 7 rounds; the typed line is cleared (Ctrl-U) between rounds, untimed. Goal: ratio ≤ 1.5 (issue 15).",
    ].join(" "),
  },
};
