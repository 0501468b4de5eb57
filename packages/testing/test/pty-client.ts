import WebSocket from "ws";

/**
 * A small PTY client for the fake's tests (the `ws` library): collects the terminal's
 * output and waits for text in it, with a timeout on every wait.
 */
export class PtyTestClient {
  readonly socket: WebSocket;
  output = "";
  exit: number | undefined;
  closed: { code: number; reason: string } | undefined;
  readonly #waiters = new Set<() => void>();

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on("message", (data, isBinary) => {
      const text = Buffer.from(data as Buffer).toString("utf8");
      if (isBinary) this.output += text;
      else this.exit = (JSON.parse(text) as { exit_code: number }).exit_code;
      this.#wake();
    });
    socket.on("close", (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.#wake();
    });
  }

  /** Opens a terminal; rejects with the HTTP status of a refused upgrade. */
  static open(url: string, headers: Record<string, string> = {}): Promise<PtyTestClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers, handshakeTimeout: 3000 });
      const timer = setTimeout(() => reject(new Error("open timed out")), 3000);
      socket.once("open", () => {
        clearTimeout(timer);
        resolve(new PtyTestClient(socket));
      });
      socket.once("unexpected-response", (_request, response) => {
        clearTimeout(timer);
        let body = "";
        response.on("data", (chunk: Buffer) => {
          body += chunk.toString();
        });
        response.on("end", () =>
          reject(
            Object.assign(new Error(`HTTP ${response.statusCode}`), {
              status: response.statusCode,
              body,
            }),
          ),
        );
      });
      socket.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  #wake(): void {
    for (const waiter of this.#waiters) waiter();
  }

  /** Waits until `predicate` holds, at most `ms`. */
  async until(predicate: () => boolean, what: string, ms = 3000): Promise<void> {
    if (predicate()) return;
    await new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(
          new Error(`timed out waiting for ${what}; output so far: ${JSON.stringify(this.output)}`),
        );
      }, ms);
      this.#waiters.add(check);
    });
  }

  /** Waits until the output contains `text` (after `from`). */
  waitFor(text: string, from = 0): Promise<void> {
    return this.until(() => this.output.indexOf(text, from) >= 0, JSON.stringify(text));
  }

  /** Waits for the server's exit message and the close. */
  async waitClosed(): Promise<void> {
    await this.until(() => this.closed !== undefined, "the close");
  }

  /** Types keys. */
  type(text: string): void {
    this.socket.send(Buffer.from(text, "utf8"), { binary: true });
  }

  /** Sends a control message. */
  control(message: object): void {
    this.socket.send(JSON.stringify(message));
  }

  /** Closes the connection. */
  close(): void {
    this.socket.terminate();
  }
}
