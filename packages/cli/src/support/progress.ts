import type { SingleBar } from "cli-progress";
import type { CliIo } from "./cli-io";

/** Transfers larger than this get a progress bar (when stderr is a terminal): 1 MiB. */
export const PROGRESS_THRESHOLD_BYTES = 1024 * 1024;

/** The progress event the SDK's `onProgress` callbacks deliver. */
export interface ProgressEvent {
  /** Bytes moved so far. */
  transferredBytes: number;
  /** The size of the transfer, or `null` when not known yet. */
  totalBytes: number | null;
}

/** A progress display for one transfer; a no-op when no bar should be shown. */
export interface TransferProgress {
  /** Pass as the SDK's `onProgress`. */
  onProgress(event: ProgressEvent): void;
  /** Completes and stops the bar (call on success and on failure). */
  stop(): void;
}

const NO_PROGRESS: TransferProgress = { onProgress: () => {}, stop: () => {} };

/**
 * Creates the progress display of a transfer. A bar appears on stderr only when stderr
 * is a terminal and the transfer is larger than {@link PROGRESS_THRESHOLD_BYTES}; when
 * the size is not known up front (a read), the bar starts with the first event that
 * shows it is large. `cli-progress` is loaded only when a bar may be needed.
 *
 * @param knownTotalBytes the size when known before the transfer (a write), else `null`
 */
export async function createTransferProgress(
  io: CliIo,
  label: string,
  knownTotalBytes: number | null,
): Promise<TransferProgress> {
  if (!io.stderrIsTTY) return NO_PROGRESS;
  if (knownTotalBytes !== null && knownTotalBytes <= PROGRESS_THRESHOLD_BYTES) return NO_PROGRESS;
  const { SingleBar, Presets } = await import("cli-progress");
  let bar: SingleBar | null = null;
  let total = knownTotalBytes ?? 0;
  const payload = (value: number) => ({
    label,
    transferred: formatBytes(value),
    size: formatBytes(total),
  });
  return {
    onProgress(event) {
      const size = event.totalBytes ?? knownTotalBytes;
      if (bar === null) {
        if ((size ?? event.transferredBytes) <= PROGRESS_THRESHOLD_BYTES) return;
        total = Math.max(size ?? 0, event.transferredBytes);
        bar = new SingleBar(
          {
            stream: io.stderr,
            format: "{label} [{bar}] {percentage}% {transferred}/{size}",
            hideCursor: true,
            clearOnComplete: false,
            stopOnComplete: false,
            barsize: 30,
            fps: 10,
            noTTYOutput: false,
          },
          Presets.shades_classic,
        );
        bar.start(total, event.transferredBytes, payload(event.transferredBytes));
        return;
      }
      if (size !== null && size !== total) {
        total = size;
        bar.setTotal(size);
      }
      bar.update(event.transferredBytes, payload(event.transferredBytes));
    },
    stop() {
      if (bar === null) return;
      bar.stop();
      bar = null;
    },
  };
}

/** Formats a byte count for people: `512 B`, `1.5 KiB`, `8.0 MiB`, `2.0 GiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
