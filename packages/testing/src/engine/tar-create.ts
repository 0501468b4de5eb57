import { defineCommand, type IFileSystem } from "just-bash";
import { type Pack, pack as tarPack } from "tar-stream";

/**
 * `tar -c` in the VM's shell, written directly from the VM's files: the common create
 * forms (`tar -cf out.tar -C dir .`, `tar cf out.tar a b`, `--create --file=… --directory=…`)
 * with no compression. Everything else — extracting, listing, compression, any other
 * option, a missing or absolute operand — goes to just-bash's own `tar` unchanged.
 *
 * Why: just-bash's `tar` builds an archive through web streams, entry by entry; a folder
 * of 1 000 small files took it 0.3–3 s (most of `vm.download`'s time on the fake, where
 * GNU tar in a real VM takes milliseconds: BENCHMARKS.md, row 7). Here a symlink is
 * stored as a symlink, as GNU tar does (just-bash stores the file it points to).
 *
 * @module
 */

/** One operand to archive: its name as given, read relative to `directory`. */
interface Operand {
  name: string;
  directory: string;
}

/** What a create command asks for, or `null` for anything this command leaves to just-bash. */
interface CreatePlan {
  archive: string;
  operands: Operand[];
}

/**
 * The `tar` command of a shell over `files` (the VM's filesystem): native create,
 * just-bash's `tar` for everything else. It reads `files` itself, not the `fs` of the
 * command's context: just-bash hands a custom command its filesystem through a guard
 * that copies every value and chains a promise on every call (a third of the archive's
 * cost), there to fence off commands it does not trust; this one is the fake's own.
 */
export function tarCreateCommand(files: IFileSystem) {
  return defineCommand("tar", async (args, context) => {
    const plan = planCreate(args, context.cwd);
    const original = context.origCommand;
    const delegate = async () => {
      if (original === undefined) throw new Error("just-bash's own tar is not available");
      return original(args);
    };
    if (plan === null || !(await allExist(files, plan.operands))) return delegate();
    const archive = await archiveOf(files, plan.operands);
    await files.writeFile(resolve(context.cwd, plan.archive), archive);
    return { stdout: "", stderr: "", exitCode: 0 };
  });
}

/**
 * Reads `tar`'s arguments: a first word of letters without a dash (`cf`), dashed letter
 * clusters (`-cf`, `-C`), `--create`, `--file`, `--directory` (with `=` or a separate
 * value) and operands. `-C` applies to the operands after it, as in GNU tar.
 */
export function planCreate(args: readonly string[], cwd: string): CreatePlan | null {
  let create = false;
  let archive: string | undefined;
  let directory = cwd;
  const operands: Operand[] = [];
  const valueAfter = (index: number): string | undefined => args[index + 1];
  for (let index = 0; index < args.length; index += 1) {
    const word = args[index] as string;
    const oldStyle = index === 0 && /^[a-zA-Z]+$/.test(word);
    if (word.startsWith("--")) {
      const [option, inline] = splitLong(word);
      if (option === "--create") create = true;
      else if (option === "--file" || option === "--directory") {
        const value = inline ?? valueAfter(index);
        if (value === undefined) return null;
        if (inline === undefined) index += 1;
        if (option === "--file") archive = value;
        else directory = resolve(directory, value);
      } else return null;
    } else if (oldStyle || (word.startsWith("-") && word.length > 1)) {
      const letters = oldStyle ? word : word.slice(1);
      for (const [position, letter] of [...letters].entries()) {
        if (letter === "c") create = true;
        else if (letter === "f" || letter === "C") {
          // A value-taking letter ends its cluster: `-fout.tar` or the next word.
          const rest = letters.slice(position + 1);
          const value = rest !== "" && !oldStyle ? rest : valueAfter(index);
          if (value === undefined || (rest !== "" && oldStyle)) return null;
          if (value !== rest) index += 1;
          if (letter === "f") archive = value;
          else directory = resolve(directory, value);
          break;
        } else return null;
      }
    } else {
      if (word === "" || word.startsWith("/")) return null;
      operands.push({ name: word, directory });
    }
  }
  if (!create || archive === undefined || archive === "-" || operands.length === 0) return null;
  return { archive, operands };
}

function splitLong(word: string): [string, string | undefined] {
  const equals = word.indexOf("=");
  return equals < 0 ? [word, undefined] : [word.slice(0, equals), word.slice(equals + 1)];
}

async function allExist(fs: IFileSystem, operands: readonly Operand[]): Promise<boolean> {
  for (const { name, directory } of operands) {
    try {
      await fs.lstat(resolve(directory, name));
    } catch {
      return false;
    }
  }
  return true;
}

/** The archive's bytes: each operand and, for a folder, everything below it (sorted). */
async function archiveOf(fs: IFileSystem, operands: readonly Operand[]): Promise<Uint8Array> {
  const pack = tarPack();
  const chunks: Buffer[] = [];
  pack.on("data", (chunk) => chunks.push(chunk as Buffer));
  const ended = new Promise<void>((done, failed) => {
    pack.on("end", done);
    pack.on("error", failed);
  });
  for (const { name, directory } of operands) {
    await addEntry(fs, pack, resolve(directory, name), name.replace(/\/+$/, "") || name);
  }
  pack.finalize();
  await ended;
  return Buffer.concat(chunks);
}

async function addEntry(fs: IFileSystem, pack: Pack, path: string, name: string): Promise<void> {
  const info = await fs.lstat(path);
  const header = { name, mode: info.mode & 0o7777, mtime: info.mtime, uid: 0, gid: 0 };
  if (info.isSymbolicLink) {
    pack.entry({ ...header, type: "symlink", linkname: await fs.readlink(path) });
  } else if (info.isDirectory) {
    pack.entry({ ...header, name: `${name}/`, type: "directory" });
    for (const child of [...(await fs.readdir(path))].sort()) {
      await addEntry(fs, pack, `${path.replace(/\/+$/, "")}/${child}`, `${name}/${child}`);
    }
  } else if (info.isFile) {
    pack.entry({ ...header, type: "file" }, Buffer.from(await fs.readFileBuffer(path)));
  }
}

/** `path` against `base` (both absolute or `path` relative), `.` and `..` resolved. */
function resolve(base: string, path: string): string {
  const segments: string[] = [];
  for (const segment of `${path.startsWith("/") ? "" : base}/${path}`.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  return `/${segments.join("/")}`;
}
