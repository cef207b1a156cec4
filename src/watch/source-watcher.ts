import type { Stats } from "node:fs";
import { lstat, realpath, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { watch, type ChokidarOptions } from "chokidar";
import type { Logger } from "pino";
import {
  errorCode,
  errorMessage,
  errorPath,
  FALLBACK,
  isInside,
  judgeError,
} from "./watch-errors.js";

/** What happened to a file below a source folder. Directories are never reported. */
export type SourceEvent = "add" | "change" | "unlink";

export type WatchEntryEvent = "add" | "change" | "unlink" | "addDir" | "unlinkDir";

/** The part of chokidar's `FSWatcher` used here; tests pass fakes. */
export interface WatchHandle {
  on(event: WatchEntryEvent, listener: (path: string, stats?: Stats) => void): unknown;
  on(event: "ready", listener: () => void): unknown;
  on(event: "error", listener: (error: unknown) => void): unknown;
  close(): Promise<void>;
}

/** Starts watching one directory. May throw; may emit `error` at any time before `close()`. */
export type WatchFactory = (directory: string, options: ChokidarOptions) => WatchHandle;

export const chokidarWatchFactory: WatchFactory = (directory, options) => watch(directory, options);

export type SourceWatcherLogger = Pick<Logger, "debug" | "info" | "warn" | "error">;

export interface SourceWatcherOptions {
  /** Source folders, e.g. `<data>/<user>/files/InstantUpload`. They need not exist yet. */
  roots: string[];
  /** Called for every file event. Must only enqueue: it runs inside the watcher's callbacks. */
  onPath: (path: string, event: SourceEvent) => void;
  /**
   * Called at most once per `start()` when watching had to stop (inotify watches or file
   * descriptors ran out, a source folder cannot be read). The reason is plain words and says
   * how to fix it. All watchers are closed by then; the caller falls back to reconcile scans.
   */
  onDegraded: (reason: string) => void;
  /** Poll with stat() instead of inotify: needed for NFS/SMB mounts, whose changes inotify misses. */
  usePolling?: boolean;
  /** Poll interval for every file and folder, in ms. Default 5000. Only with `usePolling`. */
  pollIntervalMs?: number;
  /**
   * Called with the absolute path of every file *and folder* strictly below a root; `true`
   * skips it (an ignored folder is not descended into, which also saves inotify watches).
   * It is not told whether the path is a folder, so it must not reject folders for lacking
   * a photo extension. Symlinks, FIFOs, sockets and devices are skipped without asking.
   */
  ignored?: (path: string) => boolean;
  logger?: SourceWatcherLogger;
  /** Defaults to chokidar. */
  watchFactory?: WatchFactory;
}

export type SourceWatcherState = "idle" | "running" | "degraded" | "stopped";

export interface SourceWatcherStatus {
  state: SourceWatcherState;
  /** Set when `state` is `degraded`. */
  degradedReason?: string;
  /** `watching`: events flow; `waiting`: the folder is missing (or not a folder) and is awaited. */
  roots: { root: string; watching: boolean }[];
}

export const DEFAULT_POLL_INTERVAL_MS = 5_000;
const MAX_WARNED_PATHS = 1_000;

/** Absolute, de-duplicated, and without roots that lie inside another root (already covered). */
export function normalizeRoots(roots: readonly string[]): string[] {
  const sorted = [...new Set(roots.map((root) => resolve(root)))].sort();
  const kept: string[] = [];
  for (const root of sorted) {
    if (!kept.some((outer) => isInside(root, outer))) kept.push(root);
  }
  return kept;
}

/** A watch handle plus a `ready` that also settles when the handle is closed before it is ready. */
interface OpenWatch {
  handle: WatchHandle;
  ready: Promise<void>;
  closed: boolean;
  close(): Promise<void>;
}

/** Where a root stands on disk. */
type Inspection =
  | { kind: "dir"; identity: string; parent: string | undefined; child: string }
  | { kind: "absent"; parent: string | undefined; child: string; notDir: boolean };

interface Sentinel extends OpenWatch {
  parent: string;
  child: string;
}

interface RootEntry {
  root: string;
  removed: boolean;
  /** Serialises this root's checks; never rejects. */
  chain: Promise<void>;
  queued: boolean;
  /** After the first check, a root that appears (or is replaced) reports the files already in it. */
  checked: boolean;
  watcher: OpenWatch | undefined;
  /** `dev:ino` of the folder `watcher` watches: a replaced folder needs a new watcher. */
  identity: string | undefined;
  /** Watches the nearest existing ancestor (non-recursively) for the root to (dis)appear. */
  sentinel: Sentinel | undefined;
  warnedNotDir: boolean;
}

/**
 * Reports file events below the source folders. It never does work itself: `onPath` enqueues.
 *
 * - One chokidar watcher per root (recursive, `ignoreInitial`, no symlink following, `atomic`,
 *   no `awaitWriteFinish`: settling is done by size + mtime elsewhere), plus a depth-0
 *   "sentinel" watcher on the root's parent (or nearest existing ancestor) that notices the
 *   root appear, disappear or be replaced. A root that appears after it was added (an
 *   InstantUpload folder created by a new phone) is watched at once and the files already in
 *   it are reported as `add`, so nothing that landed in the gap is missed.
 * - `setRoots` adds and removes roots live, and re-checks the kept ones (missing → appeared,
 *   folder replaced by another inode). Callers should call it after every reconcile scan: it
 *   is the safety net for changes the sentinels missed.
 * - Running out of inotify watches or file descriptors, or a root it may not read, never
 *   throws: it closes every watcher and calls `onDegraded` once; reconcile scans carry on.
 */
export class SourceWatcher {
  private readonly options: SourceWatcherOptions;
  private readonly logger: SourceWatcherLogger | undefined;
  private readonly factory: WatchFactory;
  private requestedRoots: readonly string[];
  private state: SourceWatcherState = "idle";
  private degradedReason: string | undefined;
  private readonly entries = new Map<string, RootEntry>();
  private readonly closing = new Set<Promise<void>>();
  private readonly warnedPaths = new Set<string>();
  private ignoredFailed = false;
  private startPromise: Promise<void> | undefined;
  private stopPromise: Promise<void> | undefined;

  constructor(options: SourceWatcherOptions) {
    this.options = options;
    this.logger = options.logger;
    this.factory = options.watchFactory ?? chokidarWatchFactory;
    this.requestedRoots = options.roots;
  }

  /** Resolves once every root is watched (or awaited, or watching has degraded). Never rejects. */
  start(): Promise<void> {
    if (this.stopPromise) return this.stopPromise.then(() => this.start());
    if (this.startPromise) return this.startPromise;
    this.state = "running";
    this.degradedReason = undefined;
    this.warnedPaths.clear();
    this.startPromise = this.begin();
    return this.startPromise;
  }

  private async begin(): Promise<void> {
    const started = Date.now();
    await this.setRoots(this.requestedRoots);
    if (this.state === "running") {
      const roots = this.status().roots;
      this.logger?.info(
        {
          watching: roots.filter((root) => root.watching).length,
          waiting: roots.filter((root) => !root.watching).length,
          polling: this.options.usePolling ?? false,
          ms: Date.now() - started,
        },
        "watching source folders",
      );
    }
  }

  /**
   * Replaces the set of roots: new ones are watched, dropped ones closed, kept ones re-checked.
   * Before `start()`, after `stop()` or once degraded it only records them. Never rejects.
   */
  async setRoots(roots: readonly string[]): Promise<void> {
    this.requestedRoots = [...roots];
    if (this.state !== "running") return;
    const wanted = normalizeRoots(roots);
    const touched: RootEntry[] = [];
    for (const entry of this.entries.values()) {
      if (!wanted.includes(entry.root)) {
        entry.removed = true;
        this.entries.delete(entry.root);
        touched.push(entry);
      }
    }
    for (const root of wanted) {
      let entry = this.entries.get(root);
      if (!entry) {
        entry = {
          root,
          removed: false,
          chain: Promise.resolve(),
          queued: false,
          checked: false,
          watcher: undefined,
          identity: undefined,
          sentinel: undefined,
          warnedNotDir: false,
        };
        this.entries.set(root, entry);
      }
      touched.push(entry);
    }
    await Promise.all(touched.map((entry) => this.schedule(entry)));
  }

  /** Closes every watcher; resolves when they are closed. `start()` may be called again after. */
  stop(): Promise<void> {
    if (this.stopPromise) return this.stopPromise;
    const starting = this.startPromise;
    if (!starting) return Promise.resolve();
    this.state = "stopped";
    this.startPromise = undefined;
    const entries = [...this.entries.values()];
    this.entries.clear();
    for (const entry of entries) {
      entry.removed = true;
      this.closeEntry(entry);
    }
    this.stopPromise = (async () => {
      await Promise.all(entries.map((entry) => entry.chain));
      await starting;
      for (const entry of entries) this.closeEntry(entry);
      await Promise.all(this.closing);
    })().finally(() => {
      this.stopPromise = undefined;
    });
    return this.stopPromise;
  }

  status(): SourceWatcherStatus {
    return {
      state: this.state,
      ...(this.degradedReason === undefined ? {} : { degradedReason: this.degradedReason }),
      roots: [...this.entries.values()].map((entry) => ({
        root: entry.root,
        watching: entry.watcher !== undefined && !entry.watcher.closed,
      })),
    };
  }

  // --- per-root state machine -------------------------------------------------------------

  private isLive(entry: RootEntry): boolean {
    return this.state === "running" && !entry.removed;
  }

  /** Queues a check of `entry` (coalescing with one that has not begun yet); never rejects. */
  private schedule(entry: RootEntry): Promise<void> {
    if (entry.queued) return entry.chain;
    entry.queued = true;
    entry.chain = entry.chain.then(async () => {
      entry.queued = false;
      try {
        await this.check(entry);
      } catch (error) {
        this.onError(error, entry.root);
      } finally {
        entry.checked = true;
        if (!this.isLive(entry)) this.closeEntry(entry);
      }
    });
    return entry.chain;
  }

  private async check(entry: RootEntry): Promise<void> {
    // Re-inspect after the watchers are ready: a change in between may have gone unseen.
    for (let attempt = 0; attempt < 5; attempt++) {
      if (!this.isLive(entry)) return;
      const before = await this.inspect(entry.root);
      if (!this.isLive(entry)) return;
      try {
        await this.apply(entry, before);
      } catch (error) {
        // A folder vanished between looking and watching: look again.
        if (isMissing(error)) continue;
        throw error;
      }
      if (!this.isLive(entry)) return;
      const after = await this.inspect(entry.root);
      if (sameInspection(before, after)) return;
    }
    this.logger?.debug({ root: entry.root }, "source folder keeps changing; checked again later");
  }

  private async inspect(root: string): Promise<Inspection> {
    const up = dirname(root);
    const parent = up === root ? undefined : up;
    let notDir = false;
    try {
      const stats = await lstat(root);
      if (stats.isDirectory()) {
        return { kind: "dir", identity: `${stats.dev}:${stats.ino}`, parent, child: root };
      }
      notDir = true;
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
    // Find the nearest existing ancestor folder, to watch for the next level to appear.
    let child = root;
    let directory = parent;
    while (directory !== undefined) {
      try {
        if ((await stat(directory)).isDirectory()) break;
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
      child = directory;
      const next = dirname(directory);
      directory = next === directory ? undefined : next;
    }
    return { kind: "absent", parent: directory, child, notDir };
  }

  private async apply(entry: RootEntry, found: Inspection): Promise<void> {
    await this.ensureSentinel(entry, found.parent, found.child);
    if (!this.isLive(entry)) return;

    if (found.kind === "absent") {
      if (entry.watcher) {
        this.logger?.info({ root: entry.root }, "source folder is gone; waiting for it to return");
        this.closeWatcher(entry);
      } else if (!entry.checked) {
        this.logger?.debug(
          { root: entry.root },
          "source folder does not exist yet; waiting for it",
        );
      }
      if (found.notDir && !entry.warnedNotDir) {
        entry.warnedNotDir = true;
        this.logger?.warn(
          { root: entry.root },
          "source folder is not a folder (a file or a symbolic link, which photoferry does not " +
            "follow); it is not watched",
        );
      }
      await entry.sentinel?.ready;
      return;
    }

    if (entry.watcher && !entry.watcher.closed && entry.identity === found.identity) {
      await entry.watcher.ready;
      return;
    }
    if (entry.watcher) {
      this.logger?.info({ root: entry.root }, "source folder was replaced; watching the new one");
      this.closeWatcher(entry);
    }
    const reportExisting = entry.checked;
    const opened = this.open(entry.root, this.rootOptions(entry.root, reportExisting), entry.root);
    if (!opened) return;
    entry.watcher = opened;
    entry.identity = found.identity;
    const report = (event: SourceEvent) => (path: string, stats?: Stats) => {
      if (opened.closed || !this.isLive(entry)) return;
      if (event !== "unlink" && stats !== undefined && !stats.isFile()) return;
      try {
        this.options.onPath(path, event);
      } catch (error) {
        this.logger?.error({ err: error, path }, "a source-watcher listener failed");
      }
    };
    opened.handle.on("add", report("add"));
    opened.handle.on("change", report("change"));
    opened.handle.on("unlink", report("unlink"));
    await opened.ready;
  }

  private rootOptions(root: string, reportExisting: boolean): ChokidarOptions {
    return {
      ...this.commonOptions(),
      ignoreInitial: !reportExisting,
      ignored: (path: string, stats?: Stats) => {
        if (!isInside(path, root)) return false;
        if (stats !== undefined && !stats.isFile() && !stats.isDirectory()) return true;
        return this.callIgnored(path);
      },
    };
  }

  private commonOptions(): ChokidarOptions {
    const interval = this.options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    return {
      persistent: true,
      followSymlinks: false,
      // Reports a file replaced by rename (delete + add within 100 ms) as one `change`.
      atomic: true,
      awaitWriteFinish: false,
      usePolling: this.options.usePolling ?? false,
      interval,
      // chokidar polls "binary" files (jpg, mov, …: all of ours) at binaryInterval, not interval.
      binaryInterval: interval,
    };
  }

  private callIgnored(path: string): boolean {
    try {
      return this.options.ignored?.(path) ?? false;
    } catch (error) {
      if (!this.ignoredFailed) {
        this.ignoredFailed = true;
        this.logger?.error({ err: error, path }, "the ignore rule threw; treating paths as kept");
      }
      return false;
    }
  }

  /** Makes sure a depth-0 watcher on `parent` reports changes to its entry `child`. */
  private async ensureSentinel(
    entry: RootEntry,
    parent: string | undefined,
    child: string,
  ): Promise<void> {
    const current = entry.sentinel;
    if (parent === undefined) {
      this.closeSentinel(entry);
      return;
    }
    // Watch the real path: chokidar with followSymlinks: false would not descend a symlink.
    const realParent = await realpath(parent);
    if (!this.isLive(entry)) return;
    const realChild = join(realParent, basename(child));
    if (
      current &&
      !current.closed &&
      current.parent === realParent &&
      current.child === realChild
    ) {
      await current.ready;
      return;
    }
    this.closeSentinel(entry);
    const options: ChokidarOptions = {
      ...this.commonOptions(),
      ignoreInitial: true,
      depth: 0,
      ignored: (path: string) => path !== realParent && path !== realChild,
    };
    const opened = this.open(realParent, options, entry.root);
    if (!opened) return;
    const sentinel: Sentinel = Object.assign(opened, { parent: realParent, child: realChild });
    entry.sentinel = sentinel;
    const recheck = () => {
      if (sentinel.closed || !this.isLive(entry)) return;
      void this.schedule(entry);
    };
    for (const event of ["add", "addDir", "change", "unlink", "unlinkDir"] as const) {
      sentinel.handle.on(event, recheck);
    }
    await sentinel.ready;
  }

  // --- opening and closing ----------------------------------------------------------------

  /** Creates a watch handle with an `error` listener attached first; undefined if it threw. */
  private open(directory: string, options: ChokidarOptions, root: string): OpenWatch | undefined {
    let handle: WatchHandle;
    try {
      handle = this.factory(directory, options);
    } catch (error) {
      // A synchronous throw (or an `error` emitted before any listener existed) means this root
      // cannot be watched at all, whatever the cause.
      this.onError(error, root, true);
      return undefined;
    }
    let markReady = () => {};
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    let closePromise: Promise<void> | undefined;
    const opened: OpenWatch = {
      handle,
      ready,
      closed: false,
      close: () => {
        if (closePromise) return closePromise;
        opened.closed = true;
        markReady();
        closePromise = safeClose(handle, this.logger);
        return closePromise;
      },
    };
    handle.on("error", (error: unknown) => {
      if (!opened.closed) this.onError(error, root);
    });
    handle.on("ready", () => markReady());
    return opened;
  }

  private onError(error: unknown, root: string, fatal = false): void {
    if (this.state !== "running") {
      this.logger?.debug({ err: error, root }, "watch error after watching stopped");
      return;
    }
    const roots = [...this.entries.keys()];
    const verdict = judgeError(error, roots, root);
    if (verdict.degrade) {
      this.degrade(verdict.reason, error);
    } else if (fatal) {
      this.degrade(
        `Stopped watching the source folders for new files: could not watch ${root}: ` +
          `${errorMessage(error)}. ${FALLBACK} If this keeps happening, set ` +
          `\`schedule.watch: false\`.`,
        error,
      );
    } else {
      // One warning per path (bounded), or an unreadable tree would flood the log.
      const where = errorPath(error) ?? root;
      if (this.warnedPaths.has(where) || this.warnedPaths.size >= MAX_WARNED_PATHS) return;
      this.warnedPaths.add(where);
      this.logger?.warn({ err: error, root }, verdict.note);
    }
  }

  private degrade(reason: string, error: unknown): void {
    if (this.state !== "running") return;
    this.state = "degraded";
    this.degradedReason = reason;
    this.logger?.warn({ err: error }, reason);
    for (const entry of this.entries.values()) this.closeEntry(entry);
    try {
      this.options.onDegraded(reason);
    } catch (listenerError) {
      this.logger?.error({ err: listenerError }, "the onDegraded listener failed");
    }
  }

  private closeEntry(entry: RootEntry): void {
    this.closeWatcher(entry);
    this.closeSentinel(entry);
  }

  private closeWatcher(entry: RootEntry): void {
    if (entry.watcher) this.track(entry.watcher.close());
    entry.watcher = undefined;
    entry.identity = undefined;
  }

  private closeSentinel(entry: RootEntry): void {
    if (entry.sentinel) this.track(entry.sentinel.close());
    entry.sentinel = undefined;
  }

  private track(closing: Promise<void>): void {
    this.closing.add(closing);
    void closing.finally(() => this.closing.delete(closing));
  }
}

function isMissing(error: unknown): boolean {
  const code = errorCode(error);
  return code === "ENOENT" || code === "ENOTDIR";
}

function sameInspection(a: Inspection, b: Inspection): boolean {
  if (a.kind === "dir" && b.kind === "dir") {
    return a.identity === b.identity && a.parent === b.parent;
  }
  if (a.kind === "absent" && b.kind === "absent") {
    return a.parent === b.parent && a.child === b.child && a.notDir === b.notDir;
  }
  return false;
}

/** Closes a handle; never rejects, and swallows `error` events emitted after closing. */
async function safeClose(handle: WatchHandle, logger: SourceWatcherLogger | undefined) {
  let closing: Promise<void> | undefined;
  try {
    closing = handle.close();
  } catch (error) {
    logger?.debug({ err: error }, "closing a watcher failed");
  }
  // chokidar's close() removes all listeners at once; an in-flight fs operation that fails
  // afterwards would then emit an `error` nobody listens to, which throws.
  handle.on("error", (error: unknown) => logger?.debug({ err: error }, "watch error after close"));
  try {
    await closing;
  } catch (error) {
    logger?.debug({ err: error }, "closing a watcher failed");
  }
}
