/**
 * What profiling (`node --cpu-prof`) found for a figure that missed its goal, and what
 * would close it, by row id. Shown in BENCHMARKS.md under a missed figure only.
 *
 * @module
 */
export const FINDINGS: Readonly<Record<string, string>> = {
  "sdk-latency": [
    'the fake answers `run("true")` over loopback in ~0.15–0.45 ms here, so the goal leaves the SDK about 20–70 µs per call; it spends ~50 µs more than raw undici (median latency 1.2×, stable across rounds).',
    "CPU profile of 6 000 sequential calls (client side): per attempt `AttemptDeadline` (packages/core/src/deadline.ts) creates an `AbortController` and arms a 60 s `setTimeout` (`createAbortSignal` alone ~9 µs/call), and passing that `signal` makes undici register an abort listener (`addAbortListener`) — an experiment in one run (raw undici given the same AbortController, signal and 60 s timer, alternating call by call) put this at about half of the gap: +14–24 µs of the SDK's +35–50 µs;",
    "`ArkerClient.request` / `#withRetries` (packages/core/src/client.ts) build a `URLSearchParams` in `#url` even without a query and format the debug trace line even when logging is off;",
    "`decodeOutput` (packages/vm/src/run-result.ts) encodes stdout/stderr to `Uint8Array` with a fresh `TextEncoder` (`encode`, ~4 µs/call).",
    "To close it: one shared timer wheel (or `AbortSignal.timeout` only when a caller asked for a timeout, relying on undici's own `headersTimeout`/`bodyTimeout` otherwise), skip `URLSearchParams` when there is no query, guard the trace with a level check, reuse one module-level `TextEncoder`.",
    "Against a real network (milliseconds per call) the same absolute overhead is a few per cent.",
  ].join(" "),
  "sdk-throughput": [
    "at 64 in flight both sides are bound by the fake's process (one core of two), so client cost shows only partly; client CPU per call is in the note (SDK ÷ raw ≈ 1.2–1.3×, ~15–25 µs per call) and comes from the same per-attempt work as the latency row (AbortController + timer + abort listener per request, trace formatting, URL building, output encoding).",
    "Closing the latency items closes this one; per-round ratios are noisy on a shared 2-core machine (see results.json).",
  ].join(" "),
  "fake-throughput": [
    "the MockAgent floor itself is below 20 000 runs/s on this machine, so only the relative goal can be met here.",
    "CPU profile of 9 000 in-process runs: GC ~9 %; `matchRoute` (packages/testing/src/routes/router.ts) ~5 % self time (splits the path and `decodeURIComponent`s every parameter on every candidate route); `deliver` (packages/testing/src/doors/dispatcher-door.ts) takes the legacy handler path for `undici.request` and allocates two `Buffer`s per header that undici then re-parses (`parseHeaders`); body hashing (`Hash`) and `TextEncoder.encode` per request.",
  ].join(" "),
};
