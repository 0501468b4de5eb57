/**
 * `@arker-ai/core`: the transport every Arker client shares — configuration and hosts,
 * one undici request pipeline with retries and idempotency keys, the `ArkerError`
 * type, logging and pagination. Wire types live in `@arker-ai/core/wire`, the route
 * table and rules in `@arker-ai/core/contract`.
 *
 * This entry is the public API; the toolkit the resource packages share is
 * `@arker-ai/core/internal` (not public). A test pins this export list.
 *
 * @module
 */
export type { CallOptions } from "./call-options";
export {
  type ApiResponse,
  ArkerClient,
  type HttpMethod,
  type QueryValue,
  type RequestSpec,
  type TransferSpec,
} from "./client";
export {
  type ArkerClientOptions,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_TIMEOUT_MS,
  MAX_TIMEOUT_MS,
} from "./client-options";
export {
  type ConnectionOptions,
  DEFAULT_CONTROL_BASE_URL,
  DEFAULT_PROVIDER,
  ENV,
} from "./config";
export {
  type ClientErrorCode,
  type GoldenName,
  LOG_LEVELS,
  PROVIDERS,
  type Provider,
  type PublicGolden,
  REGIONS,
  type Region,
} from "./contract/enums";
export type { Decoder } from "./decode";
export { ArkerError, type ArkerErrorDetails } from "./errors";
export { newIdempotencyKey } from "./idempotency";
export { type ArkerLogger, type LogLevel, parseLogLevel } from "./logger";
export { Page } from "./pagination";
export {
  DEFAULT_RETRY,
  MAX_ATTEMPTS,
  NO_RETRY,
  type RetryOptions,
  type RetryPolicy,
} from "./retry";
export {
  ARKER_ORG_ID,
  DEFAULT_MAX_FILE_BYTES,
  ERROR_CODES,
  ERROR_STATUS,
  type ErrorCode,
  INLINE_FILE_LIMIT_BYTES,
  MAX_PATH_BYTES,
  PAGE_LIMIT,
  PUBLIC_GOLDENS,
  RESIZE_LIMITS,
} from "./wire";
