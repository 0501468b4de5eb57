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
    'Round 2, first pass (issue 16 goal 2), by allocation, which load does not blur (V8\'s sampling heap profiler, collected objects included): `vm.run("true")` through the SDK allocated 28.8 KB per call over the fake against 16.9 KB over the MockAgent; 19.0 KB after flat ids, idempotency entries keeping only status, type and bytes, the `"auto"` clock\'s time-skipping started only when the engine turns quiescent with a caller waiting, counters instead of sets, no `async` frame per pipeline stage, JSON answers in Node\'s buffer pool. The row went from 0.649× to 0.699–0.731× on a quiet machine (2026-12-07, commit 541cccc).',
    'Second pass (2026-12-07 night): the fake\'s answer to a plain `run("true")` went through five promises and turns — runner, handler, idempotency entry, pipeline, door — plus a turn of the session queue and a window timer scheduled and cancelled. Now an answer known at once goes back within `dispatch`, as undici\'s MockAgent does, and a foreground `true`, `:` or `false` with nothing queued on its session (no stub, no env, clock not manual) is answered on the spot, its run recorded as before (testing README, "decided extensions"; `instant-runs.test.ts` pins every case that must still take the long way). Allocation: 18.8–19.4 KB per call before, 17.0–17.1 KB after (MockAgent 15.9–16.8 KB, same process).',
    "A/B in one process (the old build, the new one and the MockAgent alternating; each side's calls per second ÷ the MockAgent's): by summed wall time per call, the row's method, at load ≈ 1–2: before 0.856 and 0.668, after 0.971 and 0.910 (two runs of 12 rounds × 500 calls); by CPU time per block of 50 calls, which the helpers' mutation runs at load 9–16 disturb less: before 0.555–0.625, after 0.699–0.896 (five runs of 30 rounds).",
    "The full run here (2026-12-07 03:10, load 2.2 → 1.4) measured 0.681×, and two runs of the row alone right after gave 0.694× and 0.859×, per-round ratios 0.58–0.95: this host ran both sides 2.6–3× slower than the one of the earlier full runs (MockAgent 20–23 k runs/s against 60 k), and a round's ratio swings with whichever side a major GC lands on. What the fake keeps is what grows those pauses: 740–980 B of heap per run after a full GC (run record, idempotency entry with the answer's bytes, their map entries — by contract: runs are listed, keys replayed for 24 h), against nothing for the MockAgent, so a 32 000-run row ends with ~28 MB more live heap to mark.",
    "Third look (2026-12-07 afternoon, load 11–22 from mutation runs): CPU time per call in alternating blocks of 100, MockAgent 94.5–104 µs, fake 122.6–144.6 µs (0.72–0.77, two runs): the goal needs the fake's extra ~30–40 µs cut to ~20. Its own code, by self time (60 000 calls): router `match` 3.9 %, run start 2.7 %, idempotency entry 2.3 %, JSON answer 2.2 %, run-store insert 1.7 %, the idempotency key maps 1.4 % — no single part worth the gap; the map inserts grow with the runs and keys a fake must keep. Retained heap is 922 B per run. One thing ruled out: a batch of calls answered within `dispatch` never yields to the event loop, so undici's `setImmediate` body clean-ups (~2.6 KB each) pile up until the batch ends, on both sides; letting them run every 64 pairs (outside the timed calls) did not raise the ratio (median 0.54 against 0.78 without, 10 rounds each at load 11).",
    "To close it for good: a compact record for a settled run (half of the run record's 30 fields serve only while it runs) and idempotency answers kept as the JSON text rather than a `Buffer` view of a shared pool slab; the profile's other fake parts (router, API-key check, request-log entry, JSON answer) are 1–2.5 % of the CPU each.",
  ].join(" "),
  "startup-sdk": [
    "on a machine shared with other work, the wall-time ratio swings widely (per-round ratios 0.5–3 at load 12–40); the process's own CPU time (in the note) is the steadier figure: 1.19–1.24× for the umbrella and core + vm, from 2.6–2.8× before (undici alone is 2.6×).",
    "Profile of the cold import (`--cpu-prof`, 25 µs): most of what is left is ESM resolution of the 7 files (core, core/internal, core/contract, core/wire, vm, filesystems, sdk) — a realpath walk each — and their compile; a single-file bundle of the same code measured 1.12×.",
    "To close it: fewer files on the import path (vm taking its three contract enums from core/internal instead of core/contract; the umbrella's `wire` namespace without its own module).",
  ].join(" "),
  "startup-core-vm":
    "see startup-sdk: the same causes, with 4 files (core, core/internal, core/contract, vm).",
  "startup-first-call": [
    "the cost moved rather than vanished: the first request imports undici (as the baseline does at import) and opens its connection; the figure compares the two orders of the same work, so the noise of a busy machine is most of any miss (see details.ratios).",
  ].join(" "),
  "size-core-vm": [
    "the code measured grew with this round's features merged into main — core from 7.4 to 8.1 kB and vm from 7.3 to 9.9 kB min+gz alone since commit b8b9b7c (exec, writeFiles, tunnels, `await using`, PTY tickets, unknown-option checks with did-you-mean); the lazy transport of issue 16 itself took 0.2 kB off both bundles (12.8 / 13.3 kB measured before those merges). Budgets are not raised.",
    "To close it: trim the merged features' code, or revisit the budget deliberately (not done here).",
  ].join(" "),
  "size-umbrella":
    "see size-core-vm: the same merged features; the umbrella adds filesystems and the re-exports.",
  "link-1mib": [
    "at 1 MiB the physical limit is 53.6 ms per direction (33.5 ms of bytes + 20 ms). A read now comes back raw (`Accept: application/octet-stream`): 57.6 ms against 75.8 ms as base64 JSON in an interleaved A/B at load ≈ 12 (0.74×), at its floor (1.06× of 53.6 ms). A write still carries base64 (44.7 ms of link) in one round trip, so its best case is 64.7 ms and the pair's 1.10×; what is left for CPU is the client's SHA-256, base64 and JSON and the fake's JSON, base64 check and SHA-256, which the machine's load stretches the most (writes 113–318 ms across the rounds of that run, 76.5 ms in a run at load ≈ 2). On a quiet machine the pair is ≈ 76 + 58 ms, 1.25×. The full run of 2026-12-07 03:10 measured 1.52× on a host that ran the CPU-bound rows 2.6–3× slower than the earlier runs' (see fake-throughput): at 1 MiB the CPU part (hashing, base64, JSON on both ends) is what a slower CPU stretches.",
    "Round 2, third pass (2026-12-07): a timeline of one write (undici's diagnostics channels) showed 9–74 ms of client CPU before the request was even created, at load 5–6: `JSON.stringify` of the body with its 1.4 MB base64 string (5–31 ms) and undici's UTF-8 encoding of the result (3–28 ms), against 0.8 ms for the SHA-256 and 0.2 ms for the base64. A write's body is now built once (`encodeWriteRequest`: each entry's fields as JSON, its base64 `content` copied in as latin1, one buffer; core sends such a body as it is): 1.86 ms against 9.26 ms of CPU (median, 1 MiB, same process), and the copy of the content 0.07–0.09 ms against 0.18–2.9 ms as UTF-8.",
    "To close it under load: raw bytes for writes too. Through `sync-stream` (a one-entry tar) it would change what a write does (modes, symlinks: see the section's decision); a raw write route of our own needs a fallback a body cannot have for free — a contract change for the service to decide.",
  ].join(" "),
  "link-10mib": [
    "a write is presign (1 round trip) + PUT (bytes + 1 round trip) + commit (1 round trip, the fake re-hashes the file): 395 ms at best against 356 ms, so 1.11× before any CPU; a read is a signed-URL answer (1 round trip) + GET (bytes + 1 round trip), 375 ms. The rest is the client's SHA-256 of the payload before the presign and the fake's hashing and copying, stretched by the machine's load.",
    "To close it: hash while the PUT streams (the SHA-256 is only needed at commit) and send the presign without waiting for the hash.",
  ].join(" "),
  "link-100mib":
    "see link-10mib: the fixed round trips vanish at this size; what remains is the client's and the fake's hashing and copying of 100 MiB under load.",
  "link-write-files": [
    "writeFiles sends the 1 000 files as one inline batch (one round trip): what it adds over one file of the same size is per-entry work on both ends — a SHA-256 object per file and the JSON of 1 000 entries on the client (`createHash` and `JSON.stringify` lead its profile), path normalisation, the hex check and 1 000 tree updates in the fake (`segmentsOf`, `#chunk`, immutable.js `get`). It is CPU-bound, so a busy machine stretches it the most (one run measured 2.6×, another 11× with the client's first call cold).",
    "To close it: hash small files with one reusable routine instead of a `Hash` object each, and build the batch's JSON without an object per entry.",
  ].join(" "),
  "link-upload": [
    "Until this round the timed call also made the local folder (1 000 `writeFileSync`s, 1.1–2.5 s on this shared disk, which was most of the 3.7 s measured before); the client now makes and removes it outside the timed call. CPU profiles (`--cpu-prof` on the client and the listening fake): the fake is idle most of the time (its extraction of 1 000 entries costs ~40 ms); the client spent its time on one `open`/`read`/`close` and one `lstat` per file, awaited one after another on libuv's thread pool. It now runs 16 of them at a time (lstats of a folder, then the archive's file reads) and writes tar headers in place; a focused run at load ≈ 13 went from 290–390 ms to 200–270 ms against ~63 ms for one file (both with the folder made outside the timed call); the row went from 47× to about 4×.",
    "Since issue 16 goal 3 the local folder lives on tmpfs; writing it there took as long as on the disk in the run at load ≈ 9–11 (0.3–1.1 s for 1 000 files): per-file system calls on a busy CPU, which the upload's own reads pay too (230–531 ms against 60–76 ms for one file in that run, 5.2×; 2.6× in a run at load ≈ 2).",
    "To close it: what remains is per-file thread-pool round trips and the tar of ~1.5 MiB (headers double the bytes of 1 KiB files) over the link; reading small files with one synchronous call each would save most of the rest but blocks the caller's event loop, so it is not done. The full run of 2026-12-07 03:10 (a slower host, see link-1mib) measured 3.00×, 0.1 % over; the two runs before passed at 3.00× and 2.42×.",
  ].join(" "),
  "link-download": [
    "Since this round the archive comes back as raw bytes (no base64 of its 1.5 MiB), the VM's temporary archive is removed while the client unpacks, and the local folder lives on tmpfs. What remains: the fake's simulated `tar` of the folder (just-bash's, through web streams: 49–228 ms per 1 000-file tar at load ≈ 9, ~90 % of it in just-bash's own code by a CPU profile), the three round trips (probe + tar, read, rm) and creating 1 000 files locally (the note's `writeFileSync` figure, on tmpfs as on the disk: 0.3–1.1 s under this load — system calls on a busy CPU, not the disk).",
    "To close it: a native `tar -c` in the fake (a walk of its own file tree); just-bash does not let a custom `tar` hand other invocations back to its own, so that means reimplementing `tar` for every test that runs it — not done. In the SDK, creating the files is the floor.",
  ].join(" "),
  "exec-latency":
    "exec is one `POST /runs` like run, plus decoding the output to text; a miss is noise between two nearly equal calls (see details.ratios).",
};
