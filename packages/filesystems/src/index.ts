/** Placeholder until the package is built out. */
export const PACKAGE_NAME = "@arker-ai/filesystems";
