import { basename } from "node:path";
import type { Logger } from "pino";
import type { PhotoferryConfig } from "../config/resolve-config.js";
import { SourceWatcher, type WatchFactory } from "../watch/source-watcher.js";
import { CronSchedule } from "./cron-schedule.js";
import type { Trigger } from "./service-contract.js";

export interface TriggerSourcesDeps {
  /** The only thing a source may do: ask for a run. */
  enqueue: (trigger: Trigger, reason: string) => void;
  /** The source folders to watch, of every included user. */
  roots: () => Promise<string[]>;
  logger: Logger;
  now: () => number;
  watchFactory?: WatchFactory;
  /** Quiet time after a file event before a run is asked for; default 1 s. */
  debounceMs?: number;
}

type Schedule = PhotoferryConfig["schedule"];

/** Upload temp files change constantly while a phone uploads; the pass ignores them anyway. */
const isUploadNoise = (path: string): boolean => {
  const name = basename(path);
  return name.startsWith(".") || name.endsWith(".part");
};

/**
 * Everything that asks for runs besides a person: the file watcher (debounced), the periodic
 * reconcile scan, the cron schedule, and re-checks of files still settling. None of them does
 * work itself; each enqueues. `apply` takes a new `schedule` section live.
 */
export class TriggerSources {
  private readonly cron: CronSchedule;
  private watcher: SourceWatcher | undefined;
  private reconcileTimer: NodeJS.Timeout | undefined;
  private reconcileMinutes = 0;
  private settleTimer: { at: number; timer: NodeJS.Timeout } | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private changed = 0;
  private stopped = false;

  constructor(private readonly deps: TriggerSourcesDeps) {
    this.cron = new CronSchedule((expression) =>
      deps.enqueue("scheduled", `schedule ${expression}`),
    );
  }

  async apply(schedule: Schedule): Promise<void> {
    if (this.stopped) return;
    this.cron.set(schedule.cron);
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

  nextRuns(count: number): string[] {
    return this.cron.nextRuns(count);
  }

  watcherState(): string {
    return this.watcher?.status().state ?? "off";
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cron.stop();
    clearInterval(this.reconcileTimer);
    clearTimeout(this.settleTimer?.timer);
    clearTimeout(this.debounce);
    const watcher = this.watcher;
    this.watcher = undefined;
    await watcher?.stop();
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
