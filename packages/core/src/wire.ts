/**
 * `@arker-ai/core/wire`: the Arker HTTP API's wire shapes (docs/arker-api.md §4), shared
 * by the SDK clients and the fake server. Field names are the wire's snake_case.
 *
 * @module
 */
export * from "./contract/wire";
