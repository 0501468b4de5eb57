import type {
  PathParameters,
  ROUTES,
  RouteBody,
  RouteName,
  RouteQuery,
  RouteResponse,
} from "@arker-ai/core/contract";
import type { PtyUpgrade } from "@arker-ai/core/wire";
import type { FakeState } from "../engine/fake-state.js";
import type { FAKE_ROUTES, FakeRouteName } from "../http/fake-routes.js";
import type { Terminal } from "../terminal/terminal.js";
import type { BodyReader } from "./body-reader.js";
import type { FakeRouteBody, FakeRouteResponse } from "./fake-route-types.js";
import type { QueryReader } from "./query-reader.js";

/**
 * What a route handler receives and answers, typed from the route tables: path
 * parameters from the route's path, the body and query from its wire request types,
 * the answer from its wire response type.
 *
 * @module
 */

/** What a handler gets. */
export interface HandlerContext<Path extends string, Body, Query> {
  /** The fake's state. */
  readonly state: FakeState;
  /** The caller's org (`""` on routes without auth). */
  readonly orgId: string;
  /** The decoded path parameters. */
  readonly params: PathParameters<Path>;
  /** The query string, read through the route's query type. */
  readonly query: QueryReader<Query>;
  /** The JSON body (`{}` when empty), read through the route's request type. */
  readonly body: BodyReader<Body>;
  /** The raw body of a route that takes bytes (signed-URL uploads), else `null`. */
  readonly bytes: Uint8Array | null;
  /** The origin the request came to, for the signed URLs of the answer. */
  readonly origin: string;
  /** The request's `Accept` header (`""` when absent), for a route marked `bytesAnswer`. */
  readonly accept: string;
}

/** An answer with a status other than 200 (e.g. a run answered 202). */
export class StatusAnswer<Body> {
  /** The HTTP status. */
  readonly status: number;
  /** The answer's body. */
  readonly body: Body;

  /** An answer of `body` with `status`. */
  constructor(status: number, body: Body) {
    this.status = status;
    this.body = body;
  }
}

/** A WebSocket route's answer: the door upgrades the connection and attaches it to a terminal. */
export class UpgradeAnswer implements PtyUpgrade {
  readonly upgrade = "websocket";
  /** Opens (or finds, to reattach) the terminal, once the door has upgraded the connection. */
  readonly open: () => Terminal;

  /** An upgrade to the terminal `open` gives. */
  constructor(open: () => Terminal) {
    this.open = open;
  }
}

/** What a handler returns: its answer's body (sent with 200), or a {@link StatusAnswer}. */
export type Reply<Body> = Body | StatusAnswer<Body>;

/** A handler: from its context to its answer. */
export type Handler<Path extends string, Body, Query, Response> = (
  context: HandlerContext<Path, Body, Query>,
) => Reply<Response> | Promise<Reply<Response>>;

/** The handler of an API route, typed from its contract entry. */
export type ApiHandler<Name extends RouteName> = Handler<
  (typeof ROUTES)[Name]["path"],
  RouteBody<Name>,
  RouteQuery<Name>,
  RouteResponse<Name>
>;

/** A handler for every API route: a route without one does not compile. */
export type ApiHandlers = { readonly [Name in RouteName]: ApiHandler<Name> };

/** The handler of a fake-only route. */
export type FakeHandler<Name extends FakeRouteName> = Handler<
  (typeof FAKE_ROUTES)[Name]["path"],
  FakeRouteBody<Name>,
  never,
  FakeRouteResponse<Name>
>;

/** A handler for every fake-only route. */
export type FakeHandlers = { readonly [Name in FakeRouteName]: FakeHandler<Name> };
