import { accessSync, constants, statSync } from "node:fs";
import { tmpdir } from "node:os";

/**
 * Where the bench's local folders live: `/dev/shm` (tmpfs) when this machine has one we
 * may write, so a row measures the SDK and the link rather than a disk other jobs share;
 * else the OS's temporary folder. The disk's own cost is measured apart (row 7's note).
 */
export function scratchDir(): string {
  try {
    if (statSync("/dev/shm").isDirectory()) {
      accessSync("/dev/shm", constants.W_OK);
      return "/dev/shm";
    }
  } catch {
    // No tmpfs here: the disk it is.
  }
  return tmpdir();
}

/** Whether {@link scratchDir} is memory (tmpfs) rather than the disk. */
export function scratchIsMemory(): boolean {
  return scratchDir() !== tmpdir();
}
