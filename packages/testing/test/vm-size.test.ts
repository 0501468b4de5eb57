// Proves resolveSize: each limit at its edges, the memory step, disk ≥ 0 and grow-only, and what is kept.
import { describe, expect, it } from "vitest";
import { resolveSize, type SizeInput } from "../src/engine/vm-size.js";
import { ApiError } from "../src/support/errors.js";

const CURRENT = { vcpuCount: 2, memoryMib: 4096, diskMib: 10240 };
const NONE: SizeInput = { vcpuCount: undefined, memoryMib: undefined, diskMib: undefined };

function refusal(input: Partial<SizeInput>, growOnly = false): string {
  try {
    resolveSize({ ...NONE, ...input }, CURRENT, growOnly);
  } catch (error) {
    if (error instanceof ApiError && error.code === "bad_request") return error.message;
    throw error;
  }
  return "accepted";
}

describe("resolveSize", () => {
  it("keeps each part not asked for, and takes each one asked for", () => {
    expect(resolveSize(NONE, CURRENT, true)).toEqual(CURRENT);
    expect(resolveSize({ vcpuCount: 4, memoryMib: 512, diskMib: 20000 }, CURRENT, true)).toEqual({
      vcpuCount: 4,
      memoryMib: 512,
      diskMib: 20000,
    });
    expect(resolveSize({ ...NONE, memoryMib: 8192 }, CURRENT, false)).toEqual({
      ...CURRENT,
      memoryMib: 8192,
    });
    expect(resolveSize({ ...NONE, diskMib: 0 }, CURRENT, false)).toEqual({
      ...CURRENT,
      diskMib: 0,
    });
  });

  it("takes vCPUs from 1 to 64, integers only", () => {
    const message = "vcpu_count must be an integer from 1 to 64";
    expect(refusal({ vcpuCount: 1 })).toBe("accepted");
    expect(refusal({ vcpuCount: 64 })).toBe("accepted");
    expect(refusal({ vcpuCount: 0 })).toBe(message);
    expect(refusal({ vcpuCount: 65 })).toBe(message);
    expect(refusal({ vcpuCount: 1.5 })).toBe(message);
  });

  it("takes memory from 256 to 262144 MiB in steps of 256, integers only", () => {
    const message = "memory_mib must be a multiple of 256 from 256 to 262144";
    expect(refusal({ memoryMib: 256 })).toBe("accepted");
    expect(refusal({ memoryMib: 262144 })).toBe("accepted");
    expect(refusal({ memoryMib: 0 })).toBe(message);
    expect(refusal({ memoryMib: 262144 + 256 })).toBe(message);
    expect(refusal({ memoryMib: 300 })).toBe(message);
    expect(refusal({ memoryMib: 256.5 })).toBe(message);
  });

  it("takes a disk of 0 or more MiB, integers only", () => {
    const message = "disk_mib must be an integer ≥ 0";
    expect(refusal({ diskMib: 0 })).toBe("accepted");
    expect(refusal({ diskMib: -1 })).toBe(message);
    expect(refusal({ diskMib: 1.5 })).toBe(message);
  });

  it("lets the disk only grow when told so: the same size is fine, one less is not", () => {
    expect(refusal({ diskMib: 10240 }, true)).toBe("accepted");
    expect(refusal({ diskMib: 10239 }, true)).toBe("disk_mib can only grow (current 10240)");
    expect(refusal({ diskMib: 10239 }, false)).toBe("accepted");
  });
});
