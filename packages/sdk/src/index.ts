/**
 * `@arker-ai/sdk`: the Arker TypeScript SDK — fork VMs in constant time, run commands,
 * move files, mount filesystems. The {@link Arker} class is the whole README surface;
 * every type, error and constant of `@arker-ai/core`, `@arker-ai/vm` and
 * `@arker-ai/filesystems` is re-exported, and the raw wire types live under `wire`.
 *
 * @example
 * import { Arker } from "@arker-ai/sdk";
 * const ar = new Arker({ region: "us-west-2" });
 * const vm = await ar.fork("ubuntu-full");
 *
 * @module
 */
export * from "@arker-ai/core";
export * as wire from "@arker-ai/core/wire";
export * from "@arker-ai/filesystems";
export * from "@arker-ai/vm";
export { Arker, type ArkerOptions } from "./arker";
