/**
 * `@arker-ai/core/contract`: the wire contract as code — the route table, every enum,
 * the limits and the shared input rules — read by the SDK, the fake server, the CLI and
 * the tests alike. The prose is docs/arker-api.md; the shapes are `@arker-ai/core/wire`.
 *
 * @module
 */
export * from "./enums";
export * from "./limits";
export type * from "./route-types";
export * from "./routes";
export * from "./rules";
