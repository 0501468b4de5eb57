import type { SeededRandom } from "../support/random.js";

/**
 * Fault injection: rules matched on method and path that answer with an error, add
 * latency, or drop the connection before or after the handler ran.
 *
 * @module
 */

/** Answer with this status and error code instead of running the handler. */
export interface RespondEffect {
  type: "respond";
  /** HTTP status, e.g. 503. */
  status: number;
  /** Error code in the flat envelope, e.g. `"unavailable"`. */
  code: string;
  /** Error message; defaults to `"injected fault"`. */
  message?: string;
  /** Sets a `Retry-After` header, in seconds. */
  retryAfterSeconds?: number;
}

/** Delay the request by `ms` real milliseconds, then handle it normally. */
export interface LatencyEffect {
  type: "latency";
  ms: number;
}

/** Drop the connection before the handler runs: nothing happened on the server. */
export interface ResetBeforeEffect {
  type: "reset-before";
}

/** Run the handler (its side effect happens), then drop the connection: the answer is lost. */
export interface ResetAfterEffect {
  type: "reset-after";
}

/** What a matching rule does. */
export type FaultEffect = RespondEffect | LatencyEffect | ResetBeforeEffect | ResetAfterEffect;

/** A fault rule. */
export interface FaultRule {
  /** HTTP method to match (any when absent). */
  method?: string;
  /**
   * Path to match, without query and without the `/api` prefix: a glob string (`*`
   * matches within one segment, `**` across segments) or a RegExp. Any when absent.
   */
  path?: string | RegExp;
  /** How many times the rule fires before it retires (unlimited when absent). */
  times?: number;
  /** Chance in [0, 1] that a matching request is affected; uses the fake's seeded RNG. */
  probability?: number;
  /** What happens. */
  effect: FaultEffect;
}

/** The `fake.faults` control. */
export interface FaultControls {
  /** Adds a rule (checked in insertion order); returns its id. */
  add(rule: FaultRule): string;
  /** Removes one rule; `true` if it existed. */
  remove(id: string): boolean;
  /** Removes every rule. */
  clear(): void;
  /** The active rules. */
  list(): ReadonlyArray<FaultRule & { id: string }>;
}

interface ActiveRule {
  id: string;
  rule: FaultRule;
  matcher: (path: string) => boolean;
  remaining: number;
}

function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index]!;
    if (char === "*") {
      if (glob[index + 1] === "*") {
        source += ".*";
        index++;
      } else {
        source += "[^/]*";
      }
    } else if (char === "?") {
      source += "[^/]";
    } else {
      source += char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    }
  }
  return new RegExp(`^${source}$`);
}

/** Validates a rule, throwing a TypeError that names the bad field. */
export function validateFaultRule(rule: FaultRule): void {
  if (typeof rule !== "object" || rule === null)
    throw new TypeError("fault rule must be an object");
  const effect = rule.effect;
  if (typeof effect !== "object" || effect === null)
    throw new TypeError("fault rule needs an effect");
  switch (effect.type) {
    case "respond":
      if (!Number.isInteger(effect.status) || effect.status < 100 || effect.status > 599) {
        throw new TypeError("respond effect needs an integer status 100-599");
      }
      if (typeof effect.code !== "string" || effect.code === "")
        throw new TypeError("respond effect needs a code");
      if (effect.retryAfterSeconds !== undefined && !(effect.retryAfterSeconds >= 0)) {
        throw new TypeError("retryAfterSeconds must be ≥ 0");
      }
      break;
    case "latency":
      if (!(Number.isFinite(effect.ms) && effect.ms >= 0))
        throw new TypeError("latency effect needs ms ≥ 0");
      break;
    case "reset-before":
    case "reset-after":
      break;
    default:
      throw new TypeError(
        `unknown fault effect type: ${String((effect as { type: unknown }).type)}`,
      );
  }
  if (rule.times !== undefined && !(Number.isInteger(rule.times) && rule.times >= 1)) {
    throw new TypeError("times must be an integer ≥ 1");
  }
  if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1)) {
    throw new TypeError("probability must be within [0, 1]");
  }
  if (rule.path !== undefined && typeof rule.path !== "string" && !(rule.path instanceof RegExp)) {
    throw new TypeError("path must be a string glob or a RegExp");
  }
}

/** The rule registry. */
export class FaultRegistry implements FaultControls {
  #rules: ActiveRule[] = [];
  #nextId = 1;
  readonly #random: SeededRandom;

  /** Creates a registry rolling probabilities on `random`. */
  constructor(random: SeededRandom) {
    this.#random = random;
  }

  add(rule: FaultRule): string {
    validateFaultRule(rule);
    const id = `fault_${this.#nextId++}`;
    const path = rule.path;
    const matcher =
      path === undefined
        ? () => true
        : typeof path === "string"
          ? (
              (regex: RegExp) => (candidate: string) =>
                regex.test(candidate)
            )(globToRegExp(path))
          : (candidate: string) => {
              path.lastIndex = 0;
              return path.test(candidate);
            };
    this.#rules.push({
      id,
      rule: { ...rule },
      matcher,
      remaining: rule.times ?? Number.POSITIVE_INFINITY,
    });
    return id;
  }

  remove(id: string): boolean {
    const before = this.#rules.length;
    this.#rules = this.#rules.filter((active) => active.id !== id);
    return this.#rules.length !== before;
  }

  clear(): void {
    this.#rules = [];
  }

  list(): ReadonlyArray<FaultRule & { id: string }> {
    return this.#rules.map((active) => ({ ...active.rule, id: active.id }));
  }

  /** Whether any rule exists (a fast path for the common case of none). */
  get empty(): boolean {
    return this.#rules.length === 0;
  }

  /**
   * The effects that fire for this request, in rule order: every latency rule that
   * fires, then at most one other effect (the first that fires).
   */
  match(method: string, path: string): FaultEffect[] {
    const effects: FaultEffect[] = [];
    for (const active of [...this.#rules]) {
      const { rule } = active;
      if (rule.method !== undefined && rule.method.toUpperCase() !== method) continue;
      if (!active.matcher(path)) continue;
      if (rule.probability !== undefined && this.#random.next() >= rule.probability) continue;
      active.remaining--;
      if (active.remaining <= 0) this.remove(active.id);
      effects.push(rule.effect);
      if (rule.effect.type !== "latency") break;
    }
    return effects;
  }
}
