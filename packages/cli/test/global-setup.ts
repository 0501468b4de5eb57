import { copyFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { BUILT_BIN, requireBuiltBinary, TEST_BIN } from "./harness";

/**
 * Copies the built binary next to the package's node_modules before the suite runs,
 * so another package's `turbo run build` cleaning dist/ mid-run cannot pull it away.
 * The copy is byte-identical and resolves its dependencies the same way.
 */
export default async function setup(): Promise<void> {
  requireBuiltBinary();
  await mkdir(dirname(TEST_BIN), { recursive: true });
  await copyFile(BUILT_BIN, TEST_BIN);
}
