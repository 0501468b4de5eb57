/**
 * `@arker-ai/core/internal`: the toolkit the Arker resource packages (`vm`,
 * `filesystems`), the fake server and the CLI share. **Not public API**: it may change
 * in any release, without a major version. Use `@arker-ai/core` instead.
 *
 * @internal
 * @module
 */
export { callControls } from "./call-options";
export { badRequest, isRecord, parseErrorBody } from "./errors";
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
