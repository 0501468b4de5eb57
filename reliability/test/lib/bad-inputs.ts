import type { Arker, Vm } from "@arker-ai/sdk";
import fc from "fast-check";

/** One SDK call with an input the SDK must refuse before sending anything. */
export interface BadCall {
  /** What is wrong, for failure messages. */
  label: string;
  /** Makes the call. */
  call(context: { ar: Arker; vm: Vm; filesystemId: string }): Promise<unknown>;
}

const segment = fc.stringMatching(/^[A-Za-z0-9._~-]{1,10}$/).filter((s) => s !== "..");
const segments = fc.array(segment, { maxLength: 5 });

/** Paths the SDK must refuse: a `..` segment, a NUL byte, relative, over 4 096 bytes, not a string. */
export const badPath: fc.Arbitrary<unknown> = fc.oneof(
  fc
    .tuple(segments, segments, fc.boolean())
    .map(
      ([before, after, trailing]) =>
        `/${[...before, "..", ...after].join("/")}${trailing ? "/" : ""}`,
    ),
  fc.tuple(fc.string(), fc.string()).map(([a, b]) => `/${a}\0${b}`),
  fc.string({ minLength: 1 }).filter((s) => !s.startsWith("/")),
  fc
    .tuple(fc.integer({ min: 4_097, max: 6_000 }), fc.constantFrom("a", "é", "漢", "😀"))
    .map(([bytes, char]) => `/${char.repeat(Math.ceil(bytes / Buffer.byteLength(char)))}`),
  fc.constant("/".padEnd(5_000, "x")),
  fc.constantFrom<unknown>("", null, 42, true, {}, ["/a"], undefined),
);

const notANumber = fc.constantFrom<unknown>(
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  "1",
  true,
  {},
);
const nonInteger = fc
  .double({ noNaN: true, noDefaultInfinity: true })
  .filter((n) => !Number.isInteger(n));

/** vCPU counts outside 1–64 or not integers. */
export const badVcpu = fc.oneof(
  fc.integer({ max: 0 }),
  fc.integer({ min: 65 }),
  nonInteger,
  notANumber,
);
/** Memory sizes outside 256–262 144 MiB, not a multiple of 256, or not integers. */
export const badMemory = fc.oneof(
  fc.integer({ max: 255 }),
  fc.integer({ min: 262_145 }),
  fc.integer({ min: 256, max: 262_144 }).filter((n) => n % 256 !== 0),
  nonInteger,
  notANumber,
);
/** Disk sizes that are not positive integers. */
export const badDisk = fc.oneof(fc.integer({ max: 0 }), nonInteger, notANumber);

/** Resize arguments the SDK must refuse: one bad field (others maybe good), or none at all. */
export const badResize: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom("vcpu_count", "memory_mib", "disk_mib"),
      fc.record(
        { vcpu_count: fc.integer({ min: 1, max: 64 }), memory_mib: fc.constant(1024) },
        { requiredKeys: [] },
      ),
    )
    .chain(([field, others]) =>
      (field === "vcpu_count" ? badVcpu : field === "memory_mib" ? badMemory : badDisk).map(
        (value) => ({ ...others, [field]: value }),
      ),
    ),
  // camelCase is accepted too (issue 14): bad in range, or two spellings that disagree.
  fc.constantFrom<Record<string, unknown>>(
    {},
    { vcpu: 2 },
    { memoryMib: 100 },
    { memoryMib: 1024, memory_mib: 2048 },
  ),
);

/** Run timeouts (seconds) outside 0–86 400 or not numbers. */
export const badRunTimeout = fc.oneof(
  fc.double({ max: -Number.MIN_VALUE, noNaN: true }),
  fc.double({ min: 86_400.001, noNaN: true }),
  fc.integer({ min: 86_401 }),
  fc.constantFrom<unknown>(Number.NaN, 1e300, "10", true),
);
/** Per-call transport timeouts (ms) that are not positive, finite and within one timer. */
export const badTimeoutMs = fc.oneof(
  fc.double({ max: 0, noNaN: true }),
  fc.double({ min: 2 ** 31, noNaN: true }),
  fc.constantFrom<unknown>(Number.NaN, "100", true),
);
/** Page sizes outside 1–1000 or not integers. */
export const badLimit = fc.oneof(
  fc.integer({ max: 0 }),
  fc.integer({ min: 1_001 }),
  nonInteger,
  notANumber,
);
/** Idempotency keys that are empty, too long, or not printable ASCII without spaces. */
export const badIdempotencyKey = fc.oneof(
  fc.constant(""),
  fc
    .string({ minLength: 65, maxLength: 100, unit: "grapheme-ascii" })
    .map((s) => s.replace(/ /g, "x")),
  fc
    .tuple(
      fc.string({ maxLength: 10 }),
      fc.constantFrom(" ", "\n", "é", "\u0000", "\u007f"),
      fc.string({ maxLength: 10 }),
    )
    .map(([a, bad, b]) => `${a}${bad}${b}`),
);
/** Fork sources with both a name and an id, or neither (or an empty one). */
export const badForkSource = fc.oneof(
  fc.record({ sourceVmName: segment, sourceVmId: segment.map((s) => `vm_${s}`) }),
  fc.record({ name: fc.option(segment, { nil: undefined }) }),
  fc.constantFrom<Record<string, unknown>>(
    { sourceVmName: "" },
    { sourceVmId: "   " },
    { sourceVmName: 5 },
  ),
);

const cast = <T>(value: unknown): T => value as T;

/** Every kind of bad call, each drawing its own bad input. */
export const badCall: fc.Arbitrary<BadCall> = fc.oneof(
  badPath.map(
    (path): BadCall => ({
      label: `read ${JSON.stringify(path)}`,
      call: ({ vm }) => vm.sync(cast<string>(path)),
    }),
  ),
  badPath.map(
    (path): BadCall => ({
      label: `write ${JSON.stringify(path)}`,
      call: ({ vm }) => vm.sync(cast<string>(path), "data"),
    }),
  ),
  // A mount's path may be left out (default /mnt/<name>, issue 11 item 7): undefined is no bad input.
  badPath
    .filter((path) => path !== undefined)
    .map(
      (path): BadCall => ({
        label: `mount at ${JSON.stringify(path)}`,
        call: ({ vm, filesystemId }) => vm.createSync({ filesystemId, path: cast<string>(path) }),
      }),
    ),
  badResize.map(
    (size): BadCall => ({
      label: `resize ${JSON.stringify(size)}`,
      call: ({ vm }) => vm.resize(cast<Parameters<Vm["resize"]>[0]>(size)),
    }),
  ),
  badForkSource.map(
    (source): BadCall => ({
      label: `fork ${JSON.stringify(source)}`,
      call: ({ ar }) => ar.fork(cast<Parameters<Arker["fork"]>[0]>(source)),
    }),
  ),
  fc.constantFrom("vcpuCount", "memoryMib", "diskMib").chain((field) =>
    (field === "vcpuCount" ? badVcpu : field === "memoryMib" ? badMemory : badDisk).map(
      (value): BadCall => ({
        label: `fork with ${field} ${String(value)}`,
        call: ({ ar }) => ar.fork("ubuntu-full", { [field]: cast<number>(value) }),
      }),
    ),
  ),
  badRunTimeout.map(
    (timeout): BadCall => ({
      label: `run timeout ${String(timeout)}`,
      call: ({ vm }) => vm.run("true", { timeout: cast<number>(timeout) }),
    }),
  ),
  fc.tuple(badTimeoutMs, fc.constantFrom("get", "run", "read", "write", "fork", "list")).map(
    ([timeoutMs, method]): BadCall => ({
      label: `${method} with timeoutMs ${String(timeoutMs)}`,
      call: ({ ar, vm }) => {
        const options = { timeoutMs: cast<number>(timeoutMs) };
        if (method === "get") return vm.get(options);
        if (method === "run") return vm.run("true", options);
        if (method === "read") return vm.readFile("/etc/hostname", options);
        if (method === "write") return vm.writeFile("/tmp/x", "x", options);
        if (method === "fork") return ar.fork("ubuntu-full", options);
        return ar.listVms(options);
      },
    }),
  ),
  fc.tuple(badLimit, fc.constantFrom("vms", "runs", "sessions", "syncs", "filesystems")).map(
    ([limit, list]): BadCall => ({
      label: `list ${list} with limit ${String(limit)}`,
      call: ({ ar, vm }) => {
        const options = { limit: cast<number>(limit) };
        if (list === "vms") return ar.listVms(options);
        if (list === "runs") return vm.listRuns(options);
        if (list === "sessions") return vm.listSessions(options);
        if (list === "syncs") return vm.listSyncs(options);
        return ar.listFilesystems(options);
      },
    }),
  ),
  badIdempotencyKey.map(
    (key): BadCall => ({
      label: `idempotency key ${JSON.stringify(key)}`,
      call: ({ vm }) => vm.run("true", { idempotencyKey: key }),
    }),
  ),
  fc.constantFrom<unknown>("", "   ", "\n\t", null, 7).map(
    (command): BadCall => ({
      label: `run command ${JSON.stringify(command)}`,
      call: ({ vm }) => vm.run(cast<string>(command)),
    }),
  ),
  fc.double({ max: -Number.MIN_VALUE, noNaN: true }).map(
    (pollIntervalMs): BadCall => ({
      label: `waitForRun pollIntervalMs ${pollIntervalMs}`,
      call: ({ vm }) => vm.waitForRun("run_x", { pollIntervalMs }),
    }),
  ),
);
