import { portProblem } from "@arker-ai/core/contract";

/**
 * What answers behind a tunnel: the web-standard handlers a test registers with
 * `fake.tunnels.serve(vmId, port, handler)`, standing in for a server listening on that
 * port inside the VM.
 *
 * @module
 */

/**
 * A server on a port inside a VM: a web-standard handler. Its request's URL is the one
 * the server would see inside the VM, `http://localhost:<port>/<path>?<query>`.
 */
export type TunnelHandler = (request: Request) => Response | Promise<Response>;

/** `fake.tunnels`: what serves a tunnel's `url`. */
export interface TunnelControls {
  /**
   * Serves `handler` on `port` of the VM (replacing any handler there): once a tunnel is
   * open on that port, requests to its `url` reach it; without a handler the `url`
   * answers 502. Returns a function that stops serving. Handlers go with their VM and on
   * `fake.reset()`.
   */
  serve(vmId: string, port: number, handler: TunnelHandler): () => void;
}

/** The registered handlers, by VM and port. */
export class TunnelServers implements TunnelControls {
  readonly #handlers = new Map<string, TunnelHandler>();

  serve(vmId: string, port: number, handler: TunnelHandler): () => void {
    if (typeof vmId !== "string" || vmId === "")
      throw new TypeError("tunnels.serve: vmId must be a non-empty string");
    const problem = portProblem(port);
    if (problem !== undefined) throw new TypeError(`tunnels.serve: ${problem}`);
    if (typeof handler !== "function")
      throw new TypeError("tunnels.serve: handler must be a function (request) => Response");
    const key = keyOf(vmId, port);
    this.#handlers.set(key, handler);
    return () => {
      if (this.#handlers.get(key) === handler) this.#handlers.delete(key);
    };
  }

  /** The handler serving the port, if any. */
  handlerOf(vmId: string, port: number): TunnelHandler | undefined {
    return this.#handlers.get(keyOf(vmId, port));
  }

  /** Forgets a deleted VM's handlers. */
  removeVm(vmId: string): void {
    const prefix = `${vmId}\u0000`;
    for (const key of this.#handlers.keys()) if (key.startsWith(prefix)) this.#handlers.delete(key);
  }

  /** Forgets every handler. */
  clear(): void {
    this.#handlers.clear();
  }
}

function keyOf(vmId: string, port: number): string {
  return `${vmId}\u0000${port}`;
}
