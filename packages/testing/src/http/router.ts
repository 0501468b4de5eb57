/**
 * Matches a method and a path to one of a table of routes whose paths name their
 * parameters `{name}`. On the hot path it looks only at the routes of the request's
 * method and segment count, compares literal segments, and decodes the parameters of
 * the one route that matched.
 *
 * @module
 */

/** A route as the router sees it. */
export interface RouterEntry {
  readonly method: string;
  /** e.g. `/v1/vms/{vm_id}/runs`. */
  readonly path: string;
}

/** The result of matching a request. */
export type RouteMatch<Entry> =
  | { type: "found"; entry: Entry; params: Record<string, string> }
  /** The path matched `entry` but a parameter is not valid percent-encoding. */
  | { type: "bad-path"; entry: Entry }
  | { type: "wrong-method"; allowed: string[] }
  | { type: "none" };

interface Compiled<Entry> {
  entry: Entry;
  method: string;
  /** Each segment: its literal text, or `undefined` for a parameter. */
  literals: Array<string | undefined>;
  /** The parameters' names and segment positions. */
  params: Array<{ name: string; index: number }>;
}

const PARAMETER = /^\{([a-z_]+)\}$/;

/** How many found paths per method {@link Router.match} keeps (a few hundred VMs' routes). */
export const RECENT_PATHS = 512;

function compile<Entry extends RouterEntry>(entry: Entry): Compiled<Entry> {
  const literals: Array<string | undefined> = [];
  const params: Array<{ name: string; index: number }> = [];
  entry.path
    .split("/")
    .slice(1)
    .forEach((segment, index) => {
      const parameter = PARAMETER.exec(segment);
      if (parameter === null) {
        literals.push(segment);
      } else {
        literals.push(undefined);
        params.push({ name: parameter[1]!, index });
      }
    });
  return { entry, method: entry.method, literals, params };
}

/** Whether a path's segments fit a route's literals (parameters match any non-empty segment). */
function fits(literals: ReadonlyArray<string | undefined>, segments: readonly string[]): boolean {
  for (let index = 0; index < segments.length; index++) {
    const literal = literals[index];
    const segment = segments[index]!;
    if (literal === undefined ? segment === "" : literal !== segment) return false;
  }
  return true;
}

function shape(literals: ReadonlyArray<string | undefined>): string {
  return literals.map((literal) => literal ?? "{}").join("/");
}

/** A router over a fixed table of routes. */
export class Router<Entry extends RouterEntry> {
  /** Routes by method, then by segment count. */
  readonly #byMethod = new Map<string, Map<number, Array<Compiled<Entry>>>>();
  /** Routes by segment count, every method, in table order (for the `allowed` list). */
  readonly #bySegmentCount = new Map<number, Array<Compiled<Entry>>>();

  /** Compiles the table; throws when two routes of one method have the same path shape. */
  constructor(entries: Iterable<Entry>) {
    const shapes = new Map<string, Entry>();
    for (const entry of entries) {
      const compiled = compile(entry);
      const key = `${entry.method} ${shape(compiled.literals)}`;
      const clash = shapes.get(key);
      if (clash !== undefined)
        throw new Error(`routes ${clash.path} and ${entry.path} overlap for ${entry.method}`);
      shapes.set(key, entry);
      const count = compiled.literals.length;
      let byCount = this.#byMethod.get(entry.method);
      if (byCount === undefined) {
        byCount = new Map();
        this.#byMethod.set(entry.method, byCount);
      }
      byCount.set(count, [...(byCount.get(count) ?? []), compiled]);
      this.#bySegmentCount.set(count, [...(this.#bySegmentCount.get(count) ?? []), compiled]);
    }
  }

  /**
   * Routes found lately, by method and path. A test's requests repeat a few paths (one
   * VM's runs, say), and a lookup here costs a tenth of a match (≈ 0.8 µs, on every
   * request). Each answer is frozen, as it is handed out again.
   */
  readonly #recent = new Map<string, Map<string, RouteMatch<Entry>>>();

  /** Finds the route of an upper-case method and a path (no query; a trailing `/` is ignored). */
  match(method: string, path: string): RouteMatch<Entry> {
    let recent = this.#recent.get(method);
    const known = recent?.get(path);
    if (known !== undefined) return known;
    const match = this.#match(method, path);
    if (match.type !== "found") return match;
    if (recent === undefined) {
      recent = new Map();
      this.#recent.set(method, recent);
    }
    // Forgetting them all at once keeps the memory bounded without tracking use.
    if (recent.size >= RECENT_PATHS) recent.clear();
    Object.freeze(match.params);
    recent.set(path, Object.freeze(match));
    return match;
  }

  #match(method: string, path: string): RouteMatch<Entry> {
    const segments = path.split("/").slice(1);
    if (segments.length > 1 && segments[segments.length - 1] === "") segments.pop();
    for (const candidate of this.#byMethod.get(method)?.get(segments.length) ?? []) {
      if (!fits(candidate.literals, segments)) continue;
      const params: Record<string, string> = {};
      for (const { name, index } of candidate.params) {
        try {
          const segment = segments[index]!;
          // decodeURIComponent costs most of a match; a segment without `%` is its own decoding.
          params[name] = segment.includes("%") ? decodeURIComponent(segment) : segment;
        } catch {
          return { type: "bad-path", entry: candidate.entry };
        }
      }
      return { type: "found", entry: candidate.entry, params };
    }
    const allowed: string[] = [];
    for (const candidate of this.#bySegmentCount.get(segments.length) ?? []) {
      if (candidate.method !== method && fits(candidate.literals, segments))
        allowed.push(candidate.method);
    }
    return allowed.length > 0 ? { type: "wrong-method", allowed } : { type: "none" };
  }
}
