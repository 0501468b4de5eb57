/**
 * What profiling (`node --cpu-prof`) found for a figure that missed its goal, and what
 * would close it, by row id. Shown in BENCHMARKS.md under a missed figure only.
 *
 * @module
 */
export const FINDINGS: Readonly<Record<string, string>> = {
  "sdk-latency": [
    'the fake answers `run("true")` over loopback in ~0.15–0.45 ms here, so the goal leaves the SDK about 20–70 µs per call.',
    "A first profile found a per-attempt `AbortController` + 60 s timer + abort listener (about half of a +35–50 µs gap, shown by giving raw undici the same signal and timer), a `URLSearchParams` built without a query, trace lines formatted while silent and a fresh `TextEncoder` per output; commit bdc120b removed all four and the ratio went from 1.21–1.26× to about 1.08×.",
    "What is left (profile after bdc120b): GC from per-call objects (request spec, headers, decoded stdout/stderr) and `encode` of the outputs; see sdk-throughput.",
  ].join(" "),
  "sdk-throughput": [
    "at 64 in flight both sides are bound by the fake's process and by outside load on a shared 2-core machine, so per-round ratios spread widely (0.65–1.15; see results.json) and the median moved between 0.87× and 0.95× across full runs.",
    "Profile of 20 000 calls at 64 in flight after commit bdc120b: the SDK's own code is ~6 µs/call of self time (`ArkerClient.request`, `parseJsonObject`, `startRun`); the rest of its extra client CPU (see the note, ~1.3×) is garbage collection (~+7 µs/call: per-call request spec and header objects, the `...callControls(options)` spreads, decoded stdout/stderr `Uint8Array`s) and `encode` of the outputs (~2 µs/call).",
    "To close it: fewer allocations per call (a frozen header template plus the idempotency key, no option spreads on the hot path) and decoding stdout/stderr lazily (a getter), since most callers of `run` read at most one of them.",
  ].join(" "),
  "fake-throughput": [
    "the MockAgent floor itself is below 20 000 runs/s on this machine in most runs, so only the relative goal can be met here.",
    "CPU profile of 9 000 in-process runs: GC ~9 %; `matchRoute` (packages/testing/src/routes/router.ts) ~5 % self time (splits the path and `decodeURIComponent`s every parameter on every candidate route); `deliver` (packages/testing/src/doors/dispatcher-door.ts) takes the legacy handler path for `undici.request` and allocates two `Buffer`s per header that undici then re-parses (`parseHeaders`); body hashing (`Hash`) and `TextEncoder.encode` per request.",
  ].join(" "),
};
