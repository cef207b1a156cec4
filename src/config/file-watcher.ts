import { watch } from "chokidar";

/** Calls `onChange` when the file is written, replaced (editors rename) or re-created. */
export interface FileWatcher {
  /** Resolves once changes are being seen. */
  ready: Promise<void>;
  close(): Promise<void>;
}

export type WatchFile = (path: string, onChange: () => void) => FileWatcher;

export interface WatchOptions {
  /** Poll instead of inotify: needed for bind mounts on NFS/SMB and some Docker Desktop setups. */
  usePolling?: boolean;
  intervalMs?: number;
}

export function chokidarWatchFile(options: WatchOptions = {}): WatchFile {
  return (path, onChange) => {
    const watcher = watch(path, {
      ignoreInitial: true,
      // Editors save by writing a new file and renaming it over the old one.
      atomic: true,
      awaitWriteFinish: { stabilityThreshold: 150, pollInterval: 50 },
      usePolling: options.usePolling ?? false,
      interval: options.intervalMs ?? 1000,
    });
    watcher.on("add", onChange).on("change", onChange);
    const ready = new Promise<void>((resolve) => watcher.once("ready", () => resolve()));
    return { ready, close: () => watcher.close() };
  };
}
