/** Placeholder until the package is built out. */
export {};
