import { fileRoutes } from "./file-routes.js";
import { filesystemRoutes } from "./filesystem-routes.js";
import { healthRoutes } from "./health-routes.js";
import type { Route } from "./route.js";
import { runRoutes } from "./run-routes.js";
import { sessionRoutes } from "./session-routes.js";
import { vmRoutes } from "./vm-routes.js";

/**
 * Matches `/v1/...` paths to routes by segments.
 *
 * @module
 */

interface CompiledRoute {
  route: Route;
  segments: string[];
}

/** The result of matching a path. */
export type RouteMatch =
  | { type: "found"; route: Route; params: Record<string, string> }
  | { type: "wrong-method"; allowed: string[] }
  | { type: "none" }
  | { type: "bad-path" };

const compiledRoutes: CompiledRoute[] = [
  ...healthRoutes,
  ...vmRoutes,
  ...runRoutes,
  ...sessionRoutes,
  ...fileRoutes,
  ...filesystemRoutes,
].map((route) => ({ route, segments: route.pattern.split("/").slice(1) }));

const bySegmentCount = new Map<number, CompiledRoute[]>();
for (const candidate of compiledRoutes) {
  const list = bySegmentCount.get(candidate.segments.length) ?? [];
  list.push(candidate);
  bySegmentCount.set(candidate.segments.length, list);
}

/** Finds the route for a method and a path (already stripped of `/api`). */
export function matchRoute(method: string, path: string): RouteMatch {
  const segments = path.split("/").slice(1);
  if (segments[segments.length - 1] === "" && segments.length > 1) segments.pop();
  const allowed: string[] = [];
  for (const candidate of bySegmentCount.get(segments.length) ?? []) {
    let params: Record<string, string> | undefined = {};
    for (let index = 0; index < segments.length; index++) {
      const expected = candidate.segments[index]!;
      const actual = segments[index]!;
      if (expected.startsWith(":")) {
        if (actual === "") {
          params = undefined;
          break;
        }
        let decoded: string;
        try {
          decoded = decodeURIComponent(actual);
        } catch {
          return { type: "bad-path" };
        }
        params[expected.slice(1)] = decoded;
      } else if (expected !== actual) {
        params = undefined;
        break;
      }
    }
    if (params === undefined) continue;
    if (candidate.route.method === method) return { type: "found", route: candidate.route, params };
    allowed.push(candidate.route.method);
  }
  return allowed.length > 0 ? { type: "wrong-method", allowed } : { type: "none" };
}
