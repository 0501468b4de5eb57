import type {
  ForkRequest,
  RunRequest,
  SyncReadRequest,
  SyncWriteRequest,
} from "@arker-ai/core/wire";
import { describe, expect, it } from "vitest";
import { BodyReader } from "../src/routes/body-reader.js";
import { QueryReader } from "../src/routes/query-reader.js";

const run = (json: Record<string, unknown>) => new BodyReader<RunRequest>(json);

describe("BodyReader", () => {
  it("reads absent and null alike, and a wrong type as a 400 naming the field", () => {
    expect(run({}).string("session_id")).toBeUndefined();
    expect(run({ session_id: null }).string("session_id")).toBeUndefined();
    expect(run({ session_id: "s" }).string("session_id")).toBe("s");
    expect(() => run({ session_id: 1 }).string("session_id")).toThrow(
      "session_id must be a string",
    );
    expect(() => run({}).requiredString("command")).toThrow("command is required");
    expect(() => run({ command: null }).requiredString("command")).toThrow("command is required");
    expect(() => run({ background: "yes" }).boolean("background")).toThrow(
      "background must be a boolean",
    );
    expect(() => run({ session_idx: 1.5 }).integer("session_idx")).toThrow(
      "session_idx must be an integer",
    );
    expect(() => run({ timeout: -1 }).nonNegative("timeout")).toThrow(
      "timeout must be a number ≥ 0",
    );
    expect(run({ timeout: 0.5 }).nonNegative("timeout")).toBe(0.5);
    expect(run({ timeout: 0 }).nonNegative("timeout")).toBe(0);
  });

  it("checks env and paths by the contract's shared rules", () => {
    expect(run({ env: { A: "1" } }).env("env")).toEqual({ A: "1" });
    expect(run({ env: null }).env("env")).toBeUndefined();
    expect(() => run({ env: { A: 1 } }).env("env")).toThrow("env.A must be a string");
    expect(() => run({ env: { "1A": "x" } }).env("env")).toThrow("invalid variable name");
    expect(() => run({ env: [] }).env("env")).toThrow("env must be an object");
    expect(run({ cwd: "/tmp" }).path("cwd")).toBe("/tmp");
    expect(run({ cwd: null }).path("cwd")).toBeUndefined();
    expect(() => run({ cwd: "relative" }).path("cwd")).toThrow("cwd must be absolute");
    expect(() => run({ cwd: "" }).path("cwd")).toThrow("cwd must be a non-empty string");
    expect(() => run({ cwd: "/a/../b" }).path("cwd")).toThrow('".." segment');
  });

  it("every bad field is a bad_request ApiError", () => {
    const error = (() => {
      try {
        run({ command: 42 }).requiredString("command");
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toMatchObject({ code: "bad_request", status: 400 });
  });

  it("only compiles for fields of the route's request type, of the type read", () => {
    const fork = new BodyReader<ForkRequest>({ source_vm_id: "vm_1", vcpu_count: 2 });
    const sync = new BodyReader<SyncReadRequest | SyncWriteRequest>({ op: "write", writes: [] });
    const never = new BodyReader<never>({});
    const misuses = () => {
      // @ts-expect-error not a field of ForkRequest
      fork.string("source_vm_idx");
      // @ts-expect-error vcpu_count is a number, not a string
      fork.string("vcpu_count");
      // @ts-expect-error a route without a body has no fields
      never.value("anything");
    };
    expect(typeof misuses).toBe("function");
    expect(fork.string("source_vm_id")).toBe("vm_1");
    expect(fork.integer("vcpu_count")).toBe(2);
    expect(sync.value("writes")).toEqual([]);
  });
});

describe("QueryReader", () => {
  it("treats an empty parameter as absent and checks enums and times", () => {
    const query = new QueryReader<{ state?: string; started_after?: string; region?: string }>(
      "state=&region=eu&started_after=2025-01-01T00:00:00Z",
    );
    expect(query.string("state")).toBeUndefined();
    expect(query.string("region")).toBe("eu");
    expect(query.time("started_after")).toBe(Date.UTC(2025, 0, 1));
    const bad = new QueryReader<{ state?: string; started_after?: string }>(
      "state=sleeping&started_after=yesterday",
    );
    expect(() => bad.oneOf("state", ["running", "completed", "failed", "cancelled"])).toThrow(
      "state must be running, completed, failed or cancelled",
    );
    expect(() => bad.oneOf("state", ["idle", "running"])).toThrow("state must be idle or running");
    expect(() => bad.time("started_after")).toThrow("started_after must be an RFC 3339 time");
  });

  it("names a single choice alone, refuses a date without a time, and reads absent as undefined", () => {
    const query = new QueryReader<{ state?: string; started_after?: string; region?: string }>(
      "state=x&started_after=2025-01-01",
    );
    expect(() => query.oneOf("state", ["idle"])).toThrow(/^state must be idle$/);
    expect(query.oneOf("region", ["eu"])).toBeUndefined();
    expect(() => query.time("started_after")).toThrow("started_after must be an RFC 3339 time");
    expect(query.time("region" as "started_after")).toBeUndefined();
    expect(new QueryReader<{ state?: string }>("state=idle").oneOf("state", ["idle"])).toBe("idle");
  });
});
