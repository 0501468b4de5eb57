import { describe, expect, it } from "vitest";
import { FaultRegistry, type FaultRule, validateFaultRule } from "../src/http/faults.js";
import { SeededRandom } from "../src/support/random.js";

// The fault registry on its own (controls.test.ts drives it through both doors): which
// rules it refuses, which paths a glob matches, and how rules fire and retire.
const fail = { type: "respond", status: 503, code: "unavailable" } as const;

/** A random source that answers `values` in turn. */
function scripted(...values: number[]): SeededRandom {
  const random = new SeededRandom(1);
  random.next = () => values.shift() ?? 0;
  return random;
}

describe("validateFaultRule", () => {
  it("accepts the edges of every field", () => {
    for (const rule of [
      { effect: { ...fail, status: 100 } },
      { effect: { ...fail, status: 599, retryAfterSeconds: 0 } },
      { effect: { type: "latency", ms: 0 } },
      { effect: { type: "reset-before" } },
      { effect: { type: "reset-after" }, times: 1, probability: 0 },
      { effect: fail, probability: 1, path: /x/ },
    ] as FaultRule[]) {
      expect(() => validateFaultRule(rule), JSON.stringify(rule)).not.toThrow();
    }
  });

  it("refuses each bad field with a TypeError naming it", () => {
    const cases: Array<[unknown, RegExp]> = [
      [null, /must be an object/],
      ["rule", /must be an object/],
      [{}, /needs an effect/],
      [{ effect: null }, /needs an effect/],
      [{ effect: { ...fail, status: 99 } }, /integer status 100-599/],
      [{ effect: { ...fail, status: 600 } }, /integer status 100-599/],
      [{ effect: { ...fail, status: 500.5 } }, /integer status 100-599/],
      [{ effect: { ...fail, code: "" } }, /needs a code/],
      [{ effect: { ...fail, code: 5 } }, /needs a code/],
      [{ effect: { ...fail, retryAfterSeconds: -1 } }, /retryAfterSeconds must be ≥ 0/],
      [{ effect: { ...fail, retryAfterSeconds: Number.NaN } }, /retryAfterSeconds/],
      [{ effect: { type: "latency", ms: -1 } }, /latency effect needs ms ≥ 0/],
      [{ effect: { type: "latency", ms: Number.POSITIVE_INFINITY } }, /latency effect/],
      [{ effect: { type: "explode" } }, /unknown fault effect type: explode/],
      [{ effect: fail, times: 0 }, /times must be an integer ≥ 1/],
      [{ effect: fail, times: 1.5 }, /times must be an integer ≥ 1/],
      [{ effect: fail, probability: -0.1 }, /probability must be within \[0, 1\]/],
      [{ effect: fail, probability: 1.1 }, /probability must be within/],
      [{ effect: fail, probability: Number.NaN }, /probability must be within/],
      [{ effect: fail, path: 5 }, /path must be a string glob or a RegExp/],
    ];
    for (const [rule, message] of cases) {
      const error = (() => {
        try {
          validateFaultRule(rule as FaultRule);
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error, JSON.stringify(rule)).toBeInstanceOf(TypeError);
      expect((error as TypeError).message, JSON.stringify(rule)).toMatch(message);
    }
  });
});

describe("FaultRegistry", () => {
  it("matches a glob: * within one segment, ** across segments, ? one character, the rest literally", () => {
    const matches = (glob: string, path: string) => {
      const registry = new FaultRegistry(scripted());
      registry.add({ path: glob, effect: fail });
      return registry.match("GET", path).length === 1;
    };
    expect(matches("/v1/vms/*/runs", "/v1/vms/vm_1/runs")).toBe(true);
    expect(matches("/v1/vms/*/runs", "/v1/vms/a/b/runs")).toBe(false);
    expect(matches("/v1/vms/*", "/v1/vms/")).toBe(true);
    expect(matches("/v1/**", "/v1/vms/a/b/runs")).toBe(true);
    expect(matches("/v1/**/runs", "/v1/vms/a/runs")).toBe(true);
    expect(matches("/v1/**/runs", "/v1/xruns")).toBe(false);
    expect(matches("/v1/vm?", "/v1/vms")).toBe(true);
    expect(matches("/v1/vm?", "/v1/vm/")).toBe(false);
    expect(matches("/v1/vm?", "/v1/vmss")).toBe(false);
    expect(matches("/v1/vms", "/v1/vms/x")).toBe(false);
    expect(matches("/v1/vms", "/x/v1/vms")).toBe(false);
    expect(matches("/v1/a.b", "/v1/aXb")).toBe(false);
    expect(matches("/v1/a+(b)", "/v1/a+(b)")).toBe(true);
    expect(matches("/v1/{id}$", "/v1/{id}$")).toBe(true);
  });

  it("matches a method in any case and a RegExp (even a global one) on every request", () => {
    const registry = new FaultRegistry(scripted());
    registry.add({ method: "post", path: /^\/v1\/fork$/g, effect: fail });
    expect(registry.match("POST", "/v1/fork")).toEqual([fail]);
    expect(registry.match("POST", "/v1/fork")).toEqual([fail]);
    expect(registry.match("GET", "/v1/fork")).toEqual([]);
    expect(registry.match("POST", "/v1/fork/x")).toEqual([]);
  });

  it("fires every latency rule, then the first other effect only", () => {
    const registry = new FaultRegistry(scripted());
    const slow = { type: "latency", ms: 1 } as const;
    const slower = { type: "latency", ms: 2 } as const;
    const reset = { type: "reset-before" } as const;
    registry.add({ effect: slow });
    registry.add({ effect: fail });
    registry.add({ effect: slower });
    registry.add({ effect: reset });
    expect(registry.match("GET", "/v1/health")).toEqual([slow, fail]);
  });

  it("retires a rule after `times` firings, and only counts the requests it fired on", () => {
    const registry = new FaultRegistry(scripted());
    registry.add({ path: "/v1/fork", times: 2, effect: fail });
    expect(registry.match("GET", "/v1/health")).toEqual([]);
    expect(registry.match("GET", "/v1/fork")).toEqual([fail]);
    expect(registry.list()).toHaveLength(1);
    expect(registry.match("GET", "/v1/fork")).toEqual([fail]);
    expect(registry.list()).toHaveLength(0);
    expect(registry.empty).toBe(true);
    expect(registry.match("GET", "/v1/fork")).toEqual([]);
  });

  it("fires a rule with a probability when the roll is below it", () => {
    const registry = new FaultRegistry(scripted(0.49, 0.5, 0.51));
    registry.add({ probability: 0.5, effect: fail });
    expect(registry.match("GET", "/v1/health")).toEqual([fail]);
    expect(registry.match("GET", "/v1/health")).toEqual([]);
    expect(registry.match("GET", "/v1/health")).toEqual([]);
  });

  it("lists rules with ids as copies, removes one by id and clears them all", () => {
    const registry = new FaultRegistry(scripted());
    expect(registry.empty).toBe(true);
    const rule: FaultRule = { method: "GET", path: "/v1/vms", times: 3, effect: fail };
    const first = registry.add(rule);
    const second = registry.add({ effect: { type: "reset-after" } });
    expect(first).toBe("fault_1");
    expect(second).toBe("fault_2");
    rule.method = "POST";
    expect(registry.list()).toEqual([
      { method: "GET", path: "/v1/vms", times: 3, effect: fail, id: "fault_1" },
      { effect: { type: "reset-after" }, id: "fault_2" },
    ]);
    expect(registry.empty).toBe(false);
    expect(registry.remove(first)).toBe(true);
    expect(registry.remove(first)).toBe(false);
    expect(registry.list().map((listed) => listed.id)).toEqual([second]);
    registry.clear();
    expect(registry.list()).toEqual([]);
    expect(registry.empty).toBe(true);
    expect(registry.add({ effect: fail })).toBe("fault_3");
  });
});
