/** Real-time bound on any one call after a host failure: a hang detector, not a speed test. */
export const HANG_MS = 20_000;

/** Settles as `promise` does, or rejects with "hung" after {@link HANG_MS}. */
export function bounded<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hung: ${what}`)), HANG_MS);
  });
  return Promise.race([promise, hang]).finally(() => clearTimeout(timer));
}

/** A command stub that blocks until released, so a foreground run is caught in flight. */
export function gate(): {
  entered: Promise<void>;
  enter(): void;
  release(): void;
  released: Promise<void>;
} {
  let enter!: () => void;
  let release!: () => void;
  const entered = new Promise<void>((resolve) => {
    enter = resolve;
  });
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { entered, enter, release, released };
}
