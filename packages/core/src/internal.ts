/**
 * `@arker-ai/core/internal`: the toolkit the Arker resource packages (`vm`,
 * `filesystems`), the fake server and the CLI share. **Not public API**: it may change
 * in any release, without a major version. Use `@arker-ai/core` instead.
 *
 * @internal
 * @module
 */
export { callControls } from "./call-options";
export { type ResolvedConnection, resolveConnection } from "./config";
export {
  acknowledgement,
  type Decoder,
  decodePage,
  expectObject,
  type FieldRule,
  type FieldRules,
  field,
  objectDecoder,
  satisfies,
} from "./decode";
export {
  asyncDispose,
  asyncDisposeOf,
  deleteIgnoringNotFound,
  withAsyncDispose,
} from "./dispose";
export {
  abortedError,
  badRequest,
  isRecord,
  malformedResponse,
  parseErrorBody,
  withIdempotencyKey,
} from "./errors";
export { validateIdempotencyKey } from "./idempotency";
export { createRedactingLogger, resolveLogLevel, stderrLogger } from "./logger";
export {
  CALL_OPTION_KEYS,
  optionKeys,
  rejectUnknownCallOptions,
  rejectUnknownOptions,
  suggestKey,
} from "./option-keys";
export {
  isRetryableResponse,
  parseRetryAfter,
  resolveRetryPolicy,
  retryDelayMs,
} from "./retry";
export {
  LIST_ITEMS,
  type ListRouteName,
  type RouteInput,
  type RouteRequest,
  routeRequest,
} from "./route-call";
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
  validatePath,
} from "./validate-arguments";
