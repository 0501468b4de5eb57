import type { CallOptions } from "./call-options";
import type { RouteBody, RouteQuery } from "./contract/route-types";
import {
  type PathParameterNames,
  type PathParameters,
  ROUTES,
  type RouteDefinition,
  type RouteName,
  routePath,
} from "./contract/routes";
import { badRequest } from "./errors";
import { newIdempotencyKey, validateIdempotencyKey } from "./idempotency";
import type { RequestSpec } from "./request-spec";

/**
 * Turns a route of the contract's table and a call's inputs into the request the
 * pipeline sends: method, host, path, auth and idempotency all come from the table,
 * never from the resource code.
 *
 * @module
 */

type PathOf<Name extends RouteName> = (typeof ROUTES)[Name]["path"];

/** A query where each field may also be `undefined` (left out of the URL). */
type LooseQuery<Query> = { [Key in keyof Query]?: Query[Key] | undefined };

/**
 * What a call of route `Name` sends: its path parameters (when the path has any), its
 * query (for routes that take one) and its body (for routes that take one: JSON, or the
 * raw bytes of a route whose body is bytes), each typed by the contract's route types.
 */
export type RouteInput<Name extends RouteName> = ([PathParameterNames<PathOf<Name>>] extends [never]
  ? { params?: undefined }
  : { params: PathParameters<PathOf<Name>> }) &
  ([RouteQuery<Name>] extends [never]
    ? { query?: undefined }
    : { query?: LooseQuery<RouteQuery<Name>> }) &
  ([RouteBody<Name>] extends [never] ? { body?: undefined } : { body: RouteBody<Name> }) & {
    /** For a route whose body is raw bytes: progress of the upload. */
    onBodyProgress?: (sentBytes: number, totalBytes: number) => void;
    /** For a route marked `bytesAnswer`: ask for the answer as raw bytes. */
    acceptBytes?: boolean;
  };

/** A request built from the table, with the idempotency key it carries (`null`: none). */
export interface RouteRequest extends RequestSpec {
  /** The key chosen for the call, or `false` for a route that takes none. */
  idempotencyKey: string | false;
}

/**
 * Builds the request of one call of a route: the caller's `idempotencyKey` is checked
 * against the contract's pattern (a route that takes none refuses one with
 * `bad_request`), else a fresh key is made for an idempotent route.
 */
export function routeRequest<Name extends RouteName>(
  name: Name,
  input: RouteInput<Name>,
  options: CallOptions | undefined,
): RouteRequest {
  const route = ROUTES[name];
  const parameters = (input.params ?? {}) as PathParameters<PathOf<Name>>;
  const spec: RouteRequest = {
    method: route.method,
    path: routePath<PathOf<Name>>(route, parameters),
    host: route.host,
    auth: route.auth,
    idempotencyKey: idempotencyKeyOf(name, route.idempotent, options?.idempotencyKey),
  };
  if (input.query !== undefined) spec.query = input.query as RequestSpec["query"];
  if (input.body !== undefined) spec.body = input.body;
  if (input.onBodyProgress !== undefined) spec.onBodyProgress = input.onBodyProgress;
  if (input.acceptBytes === true) {
    if ((route as RouteDefinition).bytesAnswer !== true)
      throw badRequest(`${name} never answers raw bytes`);
    spec.acceptBytes = true;
  }
  if (options?.signal !== undefined) spec.signal = options.signal;
  if (options?.timeoutMs !== undefined) spec.timeoutMs = options.timeoutMs;
  return spec;
}

function idempotencyKeyOf(
  name: RouteName,
  idempotent: boolean,
  key: string | undefined,
): string | false {
  if (!idempotent) {
    if (key !== undefined) throw badRequest(`${name} takes no idempotencyKey`);
    return false;
  }
  return key === undefined ? newIdempotencyKey() : validateIdempotencyKey(key);
}

/** The list routes and the field of their answer that holds the items. */
export const LIST_ITEMS = {
  listVms: "vms",
  listRuns: "runs",
  listSessions: "sessions",
  listMounts: "syncs",
  listTunnels: "tunnels",
  listFilesystems: "filesystems",
} as const satisfies Partial<Record<RouteName, string>>;

/** The name of a list route (one that answers a page). */
export type ListRouteName = keyof typeof LIST_ITEMS;
