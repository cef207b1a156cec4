import { basename } from "node:path";
import type { Logger } from "pino";
import type { PhotoferryConfig } from "../config/resolve-config.js";
import { SourceWatcher, type WatchFactory } from "../watch/source-watcher.js";
import { CronSchedule } from "./cron-schedule.js";
import { globalPassFolders, scheduleReason } from "./folder-schedules.js";
import type { Trigger } from "./service-contract.js";

export interface TriggerSourcesDeps {
  /** The only thing a source may do: ask for a run (of some source folders; default all). */
  enqueue: (trigger: Trigger, reason: string, folders?: string[] | null) => void;
  /** The source folders to watch, of every included user. */
  roots: () => Promise<string[]>;
  logger: Logger;
  now: () => number;
  watchFactory?: WatchFactory;
  /** Quiet time after a file event before a run is asked for; default 1 s. */
  debounceMs?: number;
}

/** A coming cron firing and the source folders it covers (`null`: all of them). */
export interface ScheduledFiring {
  at: string;
  cron: string;
  folders: string[] | null;
}

/** Upload temp files change constantly while a phone uploads; the pass ignores them anyway. */
const isUploadNoise = (path: string): boolean => {
  const name = basename(path);
  return name.startsWith(".") || name.endsWith(".part");
};

/**
 * Everything that asks for runs besides a person: the file watcher (debounced), the periodic
 * reconcile scan, the cron schedules (global and per folder), and re-checks of files still
 * settling. None of them does work itself; each enqueues. `apply` takes a new config live.
 */
export class TriggerSources {
  private readonly cron: CronSchedule;
  private readonly folderCrons = new Map<string, CronSchedule>();
  /** What the global cron covers, from the last applied config. */
  private globalFolders: string[] | null = null;
  private watcher: SourceWatcher | undefined;
  private reconcileTimer: NodeJS.Timeout | undefined;
  private reconcileMinutes = 0;
  private settleTimer: { at: number; timer: NodeJS.Timeout } | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private changed = 0;
  private stopped = false;

  constructor(private readonly deps: TriggerSourcesDeps) {
    this.cron = new CronSchedule((expression) => {
      const folders = this.globalFolders;
      // Every folder has its own schedule: the global one has nothing left to do.
      if (folders?.length === 0) return;
      deps.enqueue("scheduled", scheduleReason(expression, folders), folders);
    });
  }

  async apply(config: PhotoferryConfig): Promise<void> {
    if (this.stopped) return;
    const { schedule } = config;
    this.globalFolders = globalPassFolders(config);
    this.cron.set(this.globalFolders?.length === 0 ? null : schedule.cron);
    this.applyFolderCrons(schedule.folders);
    if (schedule.reconcileMinutes !== this.reconcileMinutes) {
      clearInterval(this.reconcileTimer);
      this.reconcileMinutes = schedule.reconcileMinutes;
      this.reconcileTimer = setInterval(
        () => this.deps.enqueue("watch", "reconcile scan"),
        schedule.reconcileMinutes * 60_000,
      );
    }
    if (schedule.watch && !this.watcher) await this.startWatcher();
    if (!schedule.watch && this.watcher) {
      const watcher = this.watcher;
      this.watcher = undefined;
      await watcher.stop();
    }
  }

  /** Picks up users and source folders that appeared (call after each run). */
  async refreshRoots(): Promise<void> {
    if (this.watcher) await this.watcher.setRoots(await this.deps.roots());
  }

  /** Asks for a `watch` run when the earliest file still settling may be ready. */
  settleAt(readyAt: number): void {
    if (this.stopped) return;
    if (this.settleTimer && this.settleTimer.at <= readyAt) return;
    clearTimeout(this.settleTimer?.timer);
    // A little late rather than early: a run a moment too soon finds it still settling.
    const delay = Math.max(0, readyAt - this.deps.now()) + 500;
    const timer = setTimeout(() => {
      this.settleTimer = undefined;
      this.deps.enqueue("watch", "files finished settling");
    }, delay);
    this.settleTimer = { at: readyAt, timer };
  }

  /** The next `count` firings of every schedule, soonest first. */
  nextRuns(count: number): ScheduledFiring[] {
    const all = [{ cron: this.cron, folders: this.globalFolders }];
    for (const [folder, cron] of this.folderCrons) all.push({ cron, folders: [folder] });
    return all
      .flatMap(({ cron, folders }) =>
        cron.nextRuns(count).map((at) => ({ at, cron: cron.current ?? "", folders })),
      )
      .sort((a, b) => a.at.localeCompare(b.at))
      .slice(0, count);
  }

  watcherState(): string {
    return this.watcher?.status().state ?? "off";
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cron.stop();
    for (const cron of this.folderCrons.values()) cron.stop();
    this.folderCrons.clear();
    clearInterval(this.reconcileTimer);
    clearTimeout(this.settleTimer?.timer);
    clearTimeout(this.debounce);
    const watcher = this.watcher;
    this.watcher = undefined;
    await watcher?.stop();
  }

  private applyFolderCrons(entries: PhotoferryConfig["schedule"]["folders"]): void {
    const wanted = new Map(entries.map((entry) => [entry.folder, entry.cron]));
    for (const [folder, cron] of this.folderCrons) {
      if (wanted.get(folder) ?? null) continue;
      cron.stop();
      this.folderCrons.delete(folder);
    }
    for (const [folder, expression] of wanted) {
      if (expression === null) continue;
      let cron = this.folderCrons.get(folder);
      if (!cron) {
        cron = new CronSchedule((fired) =>
          this.deps.enqueue("scheduled", scheduleReason(fired, [folder]), [folder]),
        );
        this.folderCrons.set(folder, cron);
      }
      cron.set(expression);
    }
  }

  private async startWatcher(): Promise<void> {
    const { logger } = this.deps;
    const watcher = new SourceWatcher({
      roots: await this.deps.roots(),
      onPath: (path) => this.fileEvent(path),
      onDegraded: (reason) => {
        logger.warn({ reason }, "file events are off; the reconcile scan carries on");
        this.deps.enqueue("watch", "watcher degraded; scanning instead");
      },
      logger,
      ...(this.deps.watchFactory ? { watchFactory: this.deps.watchFactory } : {}),
    });
    this.watcher = watcher;
    await watcher.start();
  }

  private fileEvent(path: string): void {
    if (this.stopped || isUploadNoise(path)) return;
    this.changed++;
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      const count = this.changed;
      this.changed = 0;
      this.deps.enqueue("watch", `${count} file${count === 1 ? "" : "s"} changed`);
    }, this.deps.debounceMs ?? 1_000);
  }
}
