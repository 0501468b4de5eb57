import type { FaultRule } from "@arker-ai/testing";

/**
 * Every route, every method, 20 % of requests in all: each of the four answer-changing
 * rules fires on ~4.5 % (rolled in order, so ~16.8 % together) and latency on 4 %.
 */
export const FAULTS: FaultRule[] = [
  { path: "**", probability: 0.04, effect: { type: "latency", ms: 15 } },
  {
    path: "**",
    probability: 0.045,
    effect: { type: "respond", status: 503, code: "unavailable" },
  },
  {
    path: "**",
    probability: 0.045,
    effect: { type: "respond", status: 429, code: "rate_limited", retryAfterSeconds: 1 },
  },
  { path: "**", probability: 0.045, effect: { type: "reset-before" } },
  { path: "**", probability: 0.045, effect: { type: "reset-after" } },
];
