import { afterEach, describe, expect, it, vi } from "vitest";
import { Terminal } from "../src/terminal/terminal.js";
import { TerminalStore } from "../src/terminal/terminal-store.js";

/** A terminal whose host does nothing; `endings` collects the codes it ended with. */
function terminal(endings: number[] = []): Terminal {
  return new Terminal(
    {
      hostname: "box",
      run: () => undefined,
      interrupt: () => undefined,
      cwd: () => "/",
      ended: (_terminal, exitCode) => endings.push(exitCode),
    },
    { cols: 80, rows: 24, command: undefined, persist: true },
  );
}

const key = (sessionId: string, vmId = "vm_1") => ({ vmId, sessionId });

afterEach(() => {
  vi.useRealTimers();
});

describe("TerminalStore", () => {
  it("finds a session's live shell, not a command terminal, not an ended or removed one", () => {
    const store = new TerminalStore();
    const shell = terminal();
    const command = terminal();
    store.add(key("sess_a"), shell, true);
    store.add(key("sess_b"), command, false);
    expect(store.shellOf(key("sess_a"))).toBe(shell);
    expect(store.shellOf(key("sess_b"))).toBeUndefined();
    shell.end(0);
    expect(store.shellOf(key("sess_a"))).toBeUndefined();
    const next = terminal();
    store.add(key("sess_a"), next, true);
    expect(store.shellOf(key("sess_a"))).toBe(next);
    store.remove(next);
    expect(store.shellOf(key("sess_a"))).toBeUndefined();
  });

  it("ends the shells and command terminals that match, with the code given", () => {
    const store = new TerminalStore();
    const [a, b, c, d] = [[], [], [], []] as number[][];
    store.add(key("sess_a"), terminal(a), true);
    store.add(key("sess_b"), terminal(b), false);
    store.add(key("sess_c", "vm_2"), terminal(c), true);
    const removed = terminal(d);
    store.add(key("sess_d"), removed, false);
    store.remove(removed);
    store.endWhere((where) => where.vmId === "vm_1", 137);
    expect([a, b, c, d]).toEqual([[137], [137], [], []]);
  });

  it("redeems a grant once, for its terminal", () => {
    const store = new TerminalStore();
    const shell = terminal();
    let opened = 0;
    const id = store.grant(() => {
      opened++;
      return shell;
    });
    expect(id).toMatch(/^term_[0-9a-z]{24}$/);
    expect(opened).toBe(0);
    expect(store.take(id)).toBe(shell);
    expect(store.take(id)).toBeUndefined();
    expect(store.take("term_unknown")).toBeUndefined();
    expect(opened).toBe(1);
  });

  it("keeps a grant that has not expired when it makes another", () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const store = new TerminalStore();
    const first = terminal();
    const firstId = store.grant(() => first);
    vi.setSystemTime(1_000_000 + 5_000);
    store.grant(() => terminal());
    expect(store.take(firstId)).toBe(first);
  });

  it("refuses a grant 10 s after it was made, and accepts it just before", () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const store = new TerminalStore();
    const shell = terminal();
    const late = store.grant(() => shell);
    const onTime = store.grant(() => shell);
    vi.setSystemTime(1_000_000 + 9_999);
    expect(store.take(onTime)).toBe(shell);
    vi.setSystemTime(1_000_000 + 10_000);
    expect(store.take(late)).toBeUndefined();
  });
});
