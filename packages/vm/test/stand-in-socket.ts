/**
 * A WebSocket double for the `Pty` handle: records what the handle sends and how it
 * closes, and lets a test emit `message` and `close` events.
 */
export function standInSocket() {
  const listeners: Record<string, Array<(event: { data?: unknown }) => void>> = {};
  const socket = {
    readyState: 1,
    sent: [] as unknown[],
    closeCalls: 0,
    closeCodes: [] as Array<number | undefined>,
    addEventListener(type: string, listener: (event: { data?: unknown }) => void) {
      listeners[type] = [...(listeners[type] ?? []), listener];
    },
    send(data: unknown) {
      socket.sent.push(data);
    },
    close(code?: number) {
      socket.closeCalls += 1;
      socket.closeCodes.push(code);
    },
    emit(type: string, data?: unknown) {
      for (const listener of listeners[type] ?? []) listener({ data });
    },
  };
  return socket;
}
