import { readdir, rmdir, stat, unlink } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, isAbsolute, join } from "node:path";

/** Where the config file lives, and the pre-XDG file still read when it is the only one. */
export interface ConfigLocation {
  /** The file written (and read first). */
  path: string;
  /** `~/.arker/config.json`, read when {@link path} does not exist; `null` with `ARKER_CONFIG_DIR`. */
  legacyPath: string | null;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/**
 * The config file: `$ARKER_CONFIG_DIR/config.json` when that is set; else the XDG config
 * folder, `$XDG_CONFIG_HOME/arker/config.json` (a relative `XDG_CONFIG_HOME` is ignored,
 * as the XDG spec says), default `~/.config/arker/config.json`. The pre-0.7 file
 * `~/.arker/config.json` is the legacy path.
 */
export function configLocation(env: Record<string, string | undefined>): ConfigLocation {
  const dir = nonEmpty(env.ARKER_CONFIG_DIR);
  if (dir !== undefined) return { path: join(dir, "config.json"), legacyPath: null };
  const home = nonEmpty(env.HOME) ?? homedir();
  const xdg = nonEmpty(env.XDG_CONFIG_HOME);
  const base = xdg !== undefined && isAbsolute(xdg) ? xdg : join(home, ".config");
  return {
    path: join(base, "arker", "config.json"),
    legacyPath: join(home, ".arker", "config.json"),
  };
}

/** Whether a file exists (anything but ENOENT counts as existing, so it gets read and fails). */
export async function fileExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    return !(error instanceof Error && "code" in error && error.code === "ENOENT");
  }
}

/**
 * Which file to read: the XDG file when it exists, else the legacy file when that
 * exists, else the XDG file (missing: an empty config).
 */
export async function configFileToRead(location: ConfigLocation): Promise<string> {
  if (location.legacyPath === null || (await fileExists(location.path))) return location.path;
  return (await fileExists(location.legacyPath)) ? location.legacyPath : location.path;
}

/**
 * Removes the legacy file once its values were written to the XDG file (so no second
 * copy of the API key stays behind), and its folder when that is left empty.
 */
export async function removeLegacyFile(legacyPath: string): Promise<void> {
  await unlink(legacyPath);
  const folder = dirname(legacyPath);
  if ((await readdir(folder)).length === 0) await rmdir(folder).catch(() => {});
}
