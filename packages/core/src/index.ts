/**
 * `@arker-ai/core`: the transport every Arker client shares — configuration and hosts,
 * one undici request pipeline with retries and idempotency keys, the `ArkerError`
 * type, logging and pagination. Wire types live in `@arker-ai/core/wire`.
 *
 * @module
 */
export { type CallOptions, callControls } from "./call-options";
export {
  type ApiResponse,
  ArkerClient,
  apiPath,
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
  type ResolvedConnection,
  resolveConnection,
} from "./config";
export { ArkerError, type ArkerErrorDetails, badRequest, isRecord, parseErrorBody } from "./errors";
export { newIdempotencyKey, validateIdempotencyKey } from "./idempotency";
export {
  type ArkerLogger,
  createRedactingLogger,
  type LogLevel,
  parseLogLevel,
  stderrLogger,
} from "./logger";
export { Page } from "./pagination";
export {
  DEFAULT_RETRY,
  isRetryableResponse,
  MAX_ATTEMPTS,
  NO_RETRY,
  parseRetryAfter,
  type RetryOptions,
  type RetryPolicy,
  resolveRetryPolicy,
  retryDelayMs,
} from "./retry";
export { sleep } from "./sleep";
export {
  optionalBoolean,
  optionalNumberInRange,
  optionalOneOf,
  optionalString,
  optionalTimestamp,
  requireId,
  validateEnv,
  validateLimit,
} from "./validate-arguments";
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
