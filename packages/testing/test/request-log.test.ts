import { describe, expect, it } from "vitest";
import { RequestLog, type RequestLogEntry } from "../src/http/request-log.js";

// The request log's bound and its frozen snapshots (controls.test.ts checks what a request logs).
function entry(index: number): RequestLogEntry {
  return {
    requestId: `req_${index}`,
    method: "GET",
    path: "/v1/health",
    query: "",
    status: 200,
    idempotencyKey: null,
    orgId: null,
    durationMs: 0,
    at: "2025-01-01T00:00:00.000Z",
    replayed: false,
    fault: null,
  };
}

const ids = (log: RequestLog) => log.snapshot().map((logged) => logged.requestId);

describe("RequestLog", () => {
  it("keeps the newest `capacity` entries, oldest first, however many were pushed", () => {
    const log = new RequestLog(3);
    for (let index = 1; index <= 2; index++) log.push(entry(index));
    expect(ids(log)).toEqual(["req_1", "req_2"]);
    for (let index = 3; index <= 5; index++) log.push(entry(index));
    expect(ids(log)).toEqual(["req_3", "req_4", "req_5"]);
    for (let index = 6; index <= 20; index++) log.push(entry(index));
    expect(ids(log)).toEqual(["req_18", "req_19", "req_20"]);
  });

  it("keeps 10 000 entries by default", () => {
    const log = new RequestLog();
    for (let index = 1; index <= 10_001; index++) log.push(entry(index));
    const snapshot = log.snapshot();
    expect(snapshot).toHaveLength(10_000);
    expect(snapshot[0]?.requestId).toBe("req_2");
  });

  it("gives frozen copies the log's later pushes and the caller's edits do not reach", () => {
    const log = new RequestLog(5);
    const pushed = entry(1);
    log.push(pushed);
    const snapshot = log.snapshot();
    pushed.status = 500;
    log.push(entry(2));
    expect(snapshot).toHaveLength(1);
    expect(Object.isFrozen(snapshot)).toBe(true);
    expect(Object.isFrozen(snapshot[0])).toBe(true);
    expect(snapshot[0]?.status).toBe(200);
  });

  it("drops every entry on clear", () => {
    const log = new RequestLog(5);
    log.push(entry(1));
    log.clear();
    expect(log.snapshot()).toEqual([]);
    log.push(entry(2));
    expect(ids(log)).toEqual(["req_2"]);
  });
});
