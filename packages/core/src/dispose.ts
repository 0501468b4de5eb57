import { ArkerError } from "./errors";

/**
 * `await using` support for the SDK's handles without a polyfill: the runtime's
 * `Symbol.asyncDispose` when it has one (Node 20+), else the `Symbol.for` key that
 * TypeScript's and esbuild's down-levelled `await using` look up.
 *
 * @module
 */

/** Picks the disposer key from a `Symbol` constructor that may lack `asyncDispose`. */
export function asyncDisposeOf(symbols: { asyncDispose?: symbol }): typeof Symbol.asyncDispose {
  return (symbols.asyncDispose ?? Symbol.for("Symbol.asyncDispose")) as typeof Symbol.asyncDispose;
}

/** The key of an async disposer: `Symbol.asyncDispose`, or `Symbol.for("Symbol.asyncDispose")`. */
export const asyncDispose: typeof Symbol.asyncDispose = asyncDisposeOf(Symbol);

/**
 * Runs a delete for a scope's exit: a `not_found` means someone deleted it first, which
 * is the outcome the scope wanted.
 */
export async function deleteIgnoringNotFound(remove: () => Promise<void>): Promise<void> {
  try {
    await remove();
  } catch (error) {
    if (ArkerError.is(error) && error.code === "not_found") return;
    throw error;
  }
}

/**
 * Gives a plain answer object (a session, a mount) an async disposer that deletes it.
 * The key is not enumerable, so `JSON.stringify` and `toEqual` see the wire object only.
 */
export function withAsyncDispose<T extends object>(
  value: T,
  remove: () => Promise<void>,
): T & AsyncDisposable {
  Object.defineProperty(value, asyncDispose, {
    value: () => deleteIgnoringNotFound(remove),
    enumerable: false,
    configurable: true,
  });
  return value as T & AsyncDisposable;
}
