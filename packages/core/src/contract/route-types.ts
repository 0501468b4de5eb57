import type { RouteName } from "./routes";
import type * as Wire from "./wire";

/**
 * The wire shapes of each route of the table: its JSON body, its query and its answer.
 * The SDK's requests and the fake's handlers are both typed from here, so a field
 * renamed in `@arker-ai/core/wire` breaks the compile on both sides.
 *
 * @module
 */

/** The body, query and answer of one route; `never` where the route has none. */
interface Shape<Body, Query, Response> {
  body: Body;
  query: Query;
  response: Response;
}

/** The body, query and answer type of every route, by name. */
export interface RouteTypes {
  health: Shape<never, never, Wire.HealthResponse>;
  fork: Shape<Wire.ForkRequest, never, Wire.ForkResponse>;
  listVms: Shape<never, Wire.ListVmsQuery, Wire.ListVmsResponse>;
  getVm: Shape<never, never, Wire.Vm>;
  deleteVm: Shape<never, never, Wire.DeleteVmResponse>;
  resizeVm: Shape<Wire.ResizeRequest, never, Wire.ResizeResponse>;
  updateVm: Shape<Wire.UpdateVmRequest, never, Wire.Vm>;
  createRun: Shape<
    Wire.RunRequest,
    never,
    Wire.CompletedRunResponse | Wire.BackgroundRunResponse | Wire.SignalAckResponse
  >;
  listRuns: Shape<never, Wire.ListRunsQuery, Wire.ListRunsResponse>;
  getRun: Shape<never, never, Wire.Run>;
  cancelRun: Shape<never, never, Wire.CancelRunResponse>;
  createSession: Shape<Wire.CreateSessionRequest, never, Wire.Session>;
  listSessions: Shape<never, Wire.ListSessionsQuery, Wire.ListSessionsResponse>;
  getSession: Shape<never, never, Wire.Session>;
  deleteSession: Shape<never, never, Wire.DeleteSessionResponse>;
  createPtyTicket: Shape<never, never, Wire.PtyTicketResponse>;
  openPty: Shape<never, Wire.PtyQuery, Wire.PtyUpgrade>;
  syncFiles: Shape<
    Wire.SyncReadRequest | Wire.SyncWriteRequest,
    never,
    // Uint8Array: a read asked with `Accept: application/octet-stream` (bytesAnswer).
    Wire.SyncReadResponse | Wire.SyncWriteResponse | Uint8Array
  >;
  syncFile: Shape<Uint8Array, Wire.SyncFileQuery, Wire.SyncWriteResponse>;
  syncStream: Shape<Uint8Array, Wire.SyncStreamQuery, Wire.SyncStreamResponse>;
  createMount: Shape<Wire.CreateSyncRequest, never, Wire.Sync>;
  listMounts: Shape<never, Wire.ListSyncsQuery, Wire.ListSyncsResponse>;
  getMount: Shape<never, never, Wire.Sync>;
  deleteMount: Shape<never, never, Wire.DeleteSyncResponse>;
  createTunnel: Shape<Wire.CreateTunnelRequest, never, Wire.Tunnel>;
  listTunnels: Shape<never, Wire.ListTunnelsQuery, Wire.ListTunnelsResponse>;
  getTunnel: Shape<never, never, Wire.Tunnel>;
  deleteTunnel: Shape<never, never, Wire.DeleteTunnelResponse>;
  createFilesystem: Shape<Wire.CreateFilesystemRequest, never, Wire.Filesystem>;
  listFilesystems: Shape<never, Wire.ListFilesystemsQuery, Wire.ListFilesystemsResponse>;
  getFilesystem: Shape<never, never, Wire.Filesystem>;
  deleteFilesystem: Shape<never, never, Wire.DeleteFilesystemResponse>;
}

/** The JSON body type of a route. */
export type RouteBody<Name extends RouteName> = RouteTypes[Name]["body"];
/** The query type of a route. */
export type RouteQuery<Name extends RouteName> = RouteTypes[Name]["query"];
/** The answer type of a route. */
export type RouteResponse<Name extends RouteName> = RouteTypes[Name]["response"];

// Every route of the table has its shapes, and nothing else does.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const everyRouteTyped: Exact<keyof RouteTypes, RouteName> = true;
void everyRouteTyped;
