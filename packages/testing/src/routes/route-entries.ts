import {
  type HttpMethod,
  ROUTE_NAMES,
  ROUTES,
  type RouteDefinition,
  type RouteName,
} from "@arker-ai/core/contract";
import type { FakeState } from "../engine/fake-state.js";
import { FAKE_ROUTE_NAMES, FAKE_ROUTES, type FakeRouteName } from "../http/fake-routes.js";
import { blobHandlers } from "./blob-routes.js";
import type { BodyReader } from "./body-reader.js";
import { controlHandlers } from "./control-routes.js";
import { fileHandlers } from "./file-routes.js";
import { filesystemHandlers } from "./filesystem-routes.js";
import type { ApiHandlers, FakeHandlers, Reply } from "./handler-types.js";
import { healthHandlers } from "./health-routes.js";
import { mountHandlers } from "./mount-routes.js";
import { ptyHandlers } from "./pty-routes.js";
import type { QueryReader } from "./query-reader.js";
import { runHandlers } from "./run-routes.js";
import { sessionHandlers } from "./session-routes.js";
import { tunnelHandlers } from "./tunnel-routes.js";
import { vmHandlers } from "./vm-routes.js";

/**
 * Every route the fake serves, one entry each: the API's route table (`ROUTES` of the
 * contract) and the fake-only table (`FAKE_ROUTES`), each route with its handler. The
 * request pipeline builds its one router from this list.
 *
 * @module
 */

/** A handler for every API route, by contract route name. */
export const apiHandlers: ApiHandlers = {
  ...healthHandlers,
  ...vmHandlers,
  ...runHandlers,
  ...sessionHandlers,
  ...ptyHandlers,
  ...fileHandlers,
  ...mountHandlers,
  ...tunnelHandlers,
  ...filesystemHandlers,
};

/** A handler for every fake-only route. */
export const fakeHandlers: FakeHandlers = { ...controlHandlers, ...blobHandlers };

/** How the pipeline treats a route: an API route, a test control, or a signed URL. */
export type RouteKind = "api" | "control" | "blob";

/** A handler's context with the route's types erased, as the pipeline builds it. */
export interface ErasedContext {
  readonly state: FakeState;
  readonly orgId: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: QueryReader<unknown>;
  readonly body: BodyReader<unknown>;
  readonly bytes: Uint8Array | null;
  readonly origin: string;
  readonly accept: string;
}

/** One route the fake serves. */
export interface RouteEntry {
  /** The route's name in its table. */
  readonly name: RouteName | FakeRouteName;
  readonly method: HttpMethod;
  /** The path with `{name}` parameters. */
  readonly path: string;
  /** Whether an API key is required. */
  readonly auth: boolean;
  /** Whether an `Idempotency-Key` is honoured. */
  readonly idempotent: boolean;
  /** Whether the route is a WebSocket (key or ticket, then the upgrade). */
  readonly websocket: boolean;
  readonly kind: RouteKind;
  /** Whether the body is raw bytes (handed to the handler as `bytes`), not JSON. */
  readonly rawBody: boolean;
  /** The route's handler, its types erased. */
  readonly handle: (context: ErasedContext) => Reply<unknown> | Promise<Reply<unknown>>;
}

function erase<Handler>(handler: Handler): RouteEntry["handle"] {
  return handler as unknown as RouteEntry["handle"];
}

/** Every route the fake serves: the API's in table order, then the fake's own. */
export const ROUTE_ENTRIES: readonly RouteEntry[] = [
  ...ROUTE_NAMES.map((name): RouteEntry => {
    const route: RouteDefinition = ROUTES[name];
    const { method, path, auth, idempotent } = route;
    const rawBody = route.body === "bytes";
    const websocket = route.websocket === true;
    return {
      name,
      method,
      path,
      auth,
      idempotent,
      websocket,
      kind: "api",
      rawBody,
      handle: erase(apiHandlers[name]),
    };
  }),
  ...FAKE_ROUTE_NAMES.map((name): RouteEntry => {
    const { method, path, auth, idempotent, kind } = FAKE_ROUTES[name];
    const rawBody = kind === "blob";
    return {
      name,
      method,
      path,
      auth,
      idempotent,
      websocket: false,
      kind,
      rawBody,
      handle: erase(fakeHandlers[name]),
    };
  }),
];
