import { describe, expect, it } from "vitest";
import { moduleExports } from "../../../test-support/module-exports";

// The public surface, pinned: adding or removing an export is a deliberate diff here.
// Types are marked `type `; the toolkit lives in @arker-ai/core/internal, not here.
describe("the export list", () => {
  it("of @arker-ai/core", () => {
    expect(moduleExports(new URL("../src/index.ts", import.meta.url))).toEqual([
      "type ApiResponse",
      "ARKER_ORG_ID",
      "ArkerClient",
      "type ArkerClientOptions",
      "ArkerError",
      "type ArkerErrorDetails",
      "type ArkerLogger",
      "type CallOptions",
      "type ClientErrorCode",
      "type ConnectionOptions",
      "type Decoder",
      "DEFAULT_CONTROL_BASE_URL",
      "DEFAULT_MAX_CONNECTIONS",
      "DEFAULT_MAX_FILE_BYTES",
      "DEFAULT_MAX_RESPONSE_BYTES",
      "DEFAULT_PROVIDER",
      "DEFAULT_RETRY",
      "DEFAULT_TIMEOUT_MS",
      "ENV",
      "ERROR_CODES",
      "ERROR_STATUS",
      "type ErrorCode",
      "type GoldenName",
      "type HttpMethod",
      "INLINE_FILE_LIMIT_BYTES",
      "LOG_LEVELS",
      "type LogLevel",
      "MAX_ATTEMPTS",
      "MAX_PATH_BYTES",
      "MAX_TIMEOUT_MS",
      "newIdempotencyKey",
      "NO_RETRY",
      "Page",
      "PAGE_LIMIT",
      "parseLogLevel",
      "type Provider",
      "PROVIDERS",
      "PUBLIC_GOLDENS",
      "type PublicGolden",
      "type QueryValue",
      "type Region",
      "REGIONS",
      "type RequestSpec",
      "RESIZE_LIMITS",
      "type RetryOptions",
      "type RetryPolicy",
      "type TransferSpec",
    ]);
  }, 120_000);
});
