import type { Logger } from "pino";
import type { RunResult } from "../cli/commands/run-report.js";
import type { PhotoferryConfig } from "../config/resolve-config.js";
import type { SelectedUser } from "../discovery/user-selection.js";
import { activityQuery } from "../ledger/activity-query.js";
import { Journal } from "../ledger/journal.js";
import { RunHistory } from "../ledger/run-history.js";
import { RunQueue } from "../ledger/run-queue.js";
import type { StateStore } from "../state/state-store.js";
import type { WatchFactory } from "../watch/source-watcher.js";
import { limitToFolders } from "./folder-schedules.js";
import { recordOfRun } from "./run-outcome.js";
import type { RunExecutor } from "./run-executor.js";
import type { RunProgress } from "./run-once.js";
import { ServiceEvents } from "./service-events.js";
import { discoverUsers, sourceRoots, unfinishedFiles } from "./service-views.js";
import type {
  ActivityEntry,
  ActivityFilter,
  PhotoferryService,
  QueueView,
  RunDetail,
  RunSummary,
  ServiceEvent,
  ServiceState,
  StatusSnapshot,
  Trigger,
  UserView,
} from "./service-contract.js";
import { StepTracker } from "./step-tracker.js";
import { TriggerSources } from "./trigger-sources.js";

export interface OrchestratorDeps {
  config: () => PhotoferryConfig;
  /** Subscribes to config changes (ConfigService.onChange); returns the unsubscribe. */
  onConfigChange?: (listener: (current: PhotoferryConfig) => void) => () => void;
  store: StateStore;
  logger: Logger;
  version: string;
  execute: RunExecutor;
  now?: () => number;
  watchFactory?: WatchFactory;
  /** Quiet time after file events before a watch run is asked for; default 1 s. */
  watchDebounceMs?: number;
  /** Queue a look at everything on start (default true; tests of the queue turn it off). */
  startupScan?: boolean;
  /** The audit log, pruned with the history (`history.keepDays`). */
  audit?: { prune(olderThanDays: number): number };
}

interface CurrentRun {
  id: number;
  trigger: Trigger;
  reason: string;
  /** The source folders it covers; `null` for all. */
  folders: string[] | null;
  startedAt: number;
  steps: StepTracker;
  /** The pause signal this run was started with. */
  pauseSignal: AbortSignal;
}

const pausedKey = "service_paused";
const DAY_MS = 86_400_000;

/**
 * The service's life cycle: triggers only enqueue; one run at a time, highest priority first
 * (manual > scheduled > watch); the queue and the paused switch live in SQLite, so a restart
 * keeps both. Stopping aborts the current run between files or commands — the transfer
 * journal makes that safe — and waits for it to record what it did.
 */
export class Orchestrator implements PhotoferryService {
  private readonly queueStore: RunQueue;
  private readonly history: RunHistory;
  private readonly events: ServiceEvents;
  private readonly sources: TriggerSources;
  private readonly now: () => number;
  private readonly startedAt: number;
  private state: ServiceState = "starting";
  private paused: boolean;
  private current: CurrentRun | undefined;
  private running: Promise<void> | undefined;
  private shutdown = new AbortController();
  private pauseController = new AbortController();
  private knownUsers: SelectedUser[] = [];
  private serviceErrors: { at: string; message: string }[] = [];
  /**
   * photoferry itself is in trouble (a schedule it cannot apply, a run it cannot record,
   * folders it cannot watch): the `error` state until a run is recorded fine again. Failed
   * runs alone do not count: PhotoPrism or Nextcloud being down is not photoferry's fault,
   * and an unhealthy /healthz would make Swarm restart it for nothing.
   */
  private faulted = false;
  /** The watched folders being brought up to date after a run. */
  private refreshing: Promise<void> | undefined;
  private unsubscribeConfig: (() => void) | undefined;

  constructor(private readonly deps: OrchestratorDeps) {
    this.now = deps.now ?? Date.now;
    this.startedAt = this.now();
    this.queueStore = new RunQueue(deps.store.connection);
    this.history = new RunHistory(deps.store.connection);
    this.events = new ServiceEvents(deps.logger);
    this.paused = deps.store.getMeta(pausedKey) === "1";
    this.sources = new TriggerSources({
      enqueue: (trigger, reason, folders) => void this.request(trigger, reason, folders ?? null),
      roots: () => Promise.resolve(sourceRoots(this.deps.config(), this.knownUsers)),
      logger: deps.logger,
      now: this.now,
      ...(deps.watchFactory ? { watchFactory: deps.watchFactory } : {}),
      ...(deps.watchDebounceMs !== undefined ? { debounceMs: deps.watchDebounceMs } : {}),
    });
  }

  async start(): Promise<void> {
    const closed = this.history.closeUnfinished(this.now());
    if (closed > 0) this.deps.logger.warn({ runs: closed }, "runs cut short by the last stop");
    this.prune();
    await this.refreshUsers();
    await this.sources.apply(this.deps.config());
    this.unsubscribeConfig = this.deps.onConfigChange?.((config) => {
      this.sources
        .apply(config)
        // New source folders or user rules: watch the right folders now, not after a run.
        .then(() => this.refreshUsers())
        .then(() => this.sources.refreshRoots())
        .then(() => {
          if (this.state !== "stopping") this.emitState();
        })
        .catch((error: unknown) =>
          this.serviceError("the new schedule could not be applied", error),
        );
    });
    // Photos that arrived while photoferry was down raise no file event, and an earlier
    // stop may have cut a batch short: one look at everything on start.
    if (this.deps.startupScan ?? true)
      this.queueStore.add("watch", "startup scan", this.now(), null);
    this.setState(this.resting());
    this.pump();
  }

  /** Stops the current run between files or commands, records it, and stops every trigger. */
  async stop(): Promise<void> {
    if (this.state === "stopping") return this.running;
    this.setState("stopping");
    this.unsubscribeConfig?.();
    this.shutdown.abort(new Error("photoferry is stopping"));
    await this.sources.stop();
    await this.running;
    await this.refreshing;
  }

  trigger(trigger: Trigger, reason: string): { queued: boolean; queueLength: number } {
    return this.request(trigger, reason, null);
  }

  /** Enqueues a run of some source folders (`null`: all); schedules of single folders do. */
  private request(
    trigger: Trigger,
    reason: string,
    folders: string[] | null,
  ): { queued: boolean; queueLength: number } {
    if (this.state === "stopping") return { queued: false, queueLength: this.queueStore.length };
    const queued = this.queueStore.add(trigger, reason, this.now(), folders);
    this.deps.logger.info({ trigger, reason, folders, merged: !queued }, "run requested");
    this.emitState();
    this.pump();
    return { queued, queueLength: this.queueStore.length };
  }

  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.deps.store.setMeta(pausedKey, "1");
    this.pauseController.abort(new Error("paused"));
    if (this.state === "idle" || this.state === "error") this.setState("paused");
    else this.emitState();
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.deps.store.setMeta(pausedKey, "0");
    this.pauseController = new AbortController();
    if (this.state === "paused") this.setState(this.resting());
    this.pump();
  }

  status(): StatusSnapshot {
    const recent = [...this.serviceErrors, ...this.history.recentErrors(20)]
      .sort((a, b) => b.at.localeCompare(a.at))
      .slice(0, 20);
    const scheduled = this.sources.nextRuns(5);
    return {
      state: this.state,
      version: this.deps.version,
      startedAt: new Date(this.startedAt).toISOString(),
      paused: this.paused,
      current: this.current ? this.summaryOf(this.current) : null,
      queueLength: this.queueStore.length,
      nextRuns: scheduled.map((firing) => firing.at),
      nextScheduled: scheduled,
      lastRun: this.history.last() ?? null,
      totals: this.history.totals(),
      recentErrors: recent,
    };
  }

  queue(): QueueView {
    const settleMs = this.deps.config().schedule.settleSeconds * 1000;
    return {
      pending: this.queueStore.pending().map((entry) => ({
        trigger: entry.trigger,
        reason: entry.merged > 0 ? `${entry.reason} (+${entry.merged} more)` : entry.reason,
        requestedAt: new Date(entry.requestedAt).toISOString(),
      })),
      files: unfinishedFiles(this.deps.store, settleMs, this.now()),
    };
  }

  runs(page: { limit: number; offset: number }): { items: RunSummary[]; total: number } {
    const { items, total } = this.history.list(page);
    const current = this.current;
    return {
      items: items.map((run) => (run.id === current?.id ? this.summaryOf(current) : run)),
      total,
    };
  }

  run(id: number): RunDetail | undefined {
    const run = id === this.current?.id ? this.summaryOf(this.current) : this.history.get(id);
    if (!run) return undefined;
    const files = this.history.activity({ ...activityQuery({ limit: 1_000 }), runId: id });
    return { ...run, files: files.items, commands: this.history.commands(id) };
  }

  /** Throws ActivityFilterError (→ 400) on a bad filter. */
  activity(filter: ActivityFilter): { items: ActivityEntry[]; total: number } {
    return this.history.activity(activityQuery(filter));
  }

  users(): UserView[] {
    const counts = this.history.userCounts();
    return this.knownUsers.map((user) => ({
      id: user.id,
      included: user.included,
      isNew: user.isNew,
      reason: user.reason,
      counts: counts.get(user.id) ?? { moved: 0, duplicates: 0, failed: 0, bytes: 0 },
    }));
  }

  subscribe(listener: (event: ServiceEvent) => void): () => void {
    return this.events.subscribe(listener);
  }

  /** For the log tee: log lines reach `/api/events` subscribers. */
  log(level: "debug" | "info" | "warn" | "error", message: string): void {
    this.events.emit({ type: "log", level, message, at: new Date(this.now()).toISOString() });
  }

  /** Resolves when no run is going on (tests, and stop). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private pump(): void {
    if (this.running || this.paused || this.state === "stopping" || this.state === "starting")
      return;
    let next = this.queueStore.take();
    let config = next && limitToFolders(this.deps.config(), next.folders);
    while (next && !config) {
      this.deps.logger.info(
        { trigger: next.trigger, reason: next.reason, folders: next.folders },
        "run dropped: none of its folders is a source folder any more",
      );
      next = this.queueStore.take();
      config = next && limitToFolders(this.deps.config(), next.folders);
    }
    if (!next || !config) return;
    const { trigger, reason, folders } = next;
    this.running = this.execute(trigger, reason, folders, config)
      // Recording the run can fail too (a full disk): say so, never leave an unhandled rejection.
      .catch((error: unknown) => this.serviceError("the run could not be recorded", error))
      .finally(() => {
        this.running = undefined;
        if (this.state !== "stopping") {
          this.setState(this.resting());
          this.pump();
        }
      });
  }

  /** `config` is the current one, its source folders limited to `folders`. */
  private async execute(
    trigger: Trigger,
    reason: string,
    folders: string[] | null,
    config: PhotoferryConfig,
  ): Promise<void> {
    const steps = new StepTracker(this.now);
    const startedAt = this.now();
    const id = this.history.start(trigger, reason, startedAt, steps.snapshot());
    const current: CurrentRun = {
      id,
      trigger,
      reason,
      folders,
      startedAt,
      steps,
      pauseSignal: this.pauseController.signal,
    };
    this.current = current;
    this.setState("running");
    this.deps.logger.info({ run: id, trigger, reason, folders }, "run started");
    let result: RunResult = { pass: null, indexing: null, commands: [], blocked: null };
    let thrown: string | undefined;
    try {
      result = await this.deps.execute({
        config,
        // A person or the clock asks for "everything now": an old mtime counts as settled.
        // File events watch files being written, so they wait for size and mtime to hold.
        mode: trigger === "watch" ? "watch" : "one-shot",
        signal: this.shutdown.signal,
        pauseSignal: current.pauseSignal,
        onProgress: (progress) => this.progress(current, progress),
      });
    } catch (error) {
      thrown = error instanceof Error ? error.message : String(error);
      this.deps.logger.error({ err: error, run: id }, "the run failed");
    }
    this.finish(current, config, result, thrown);
  }

  private finish(
    current: CurrentRun,
    config: PhotoferryConfig,
    result: RunResult,
    thrown: string | undefined,
  ): void {
    // The run's own pause signal: a resume meanwhile swaps in a fresh controller.
    const interrupted = this.shutdown.signal.aborted || current.pauseSignal.aborted;
    const journal = new Journal(this.deps.store.connection);
    const finishedAt = this.now();
    const record = recordOfRun(result, {
      importDir: config.photoprism.importDir,
      at: finishedAt,
      interrupted,
      batchEntries: (batchId) => journal.entries(batchId),
      landedAt: (sha256) => this.landedAt(config, sha256),
      batchesCreated: () => journal.batchesCreatedSince(current.startedAt),
    });
    if (thrown !== undefined) {
      record.errors.unshift(thrown);
      if (!interrupted) record.outcome = "failed";
    }
    current.steps.finish(record.outcome === "ok" || record.outcome === "nothing-to-do");
    const steps = current.steps.snapshot();
    this.history.finish(current.id, { finishedAt, ...record, steps }, record.activity);
    this.faulted = false; // recorded fine: whatever was wrong with photoferry itself is over
    this.current = undefined;
    const summary = this.history.get(current.id)!;
    this.deps.logger.info(
      { run: current.id, outcome: record.outcome, counts: record.counts },
      "run finished",
    );
    this.events.emit({ type: "run-finished", run: summary });
    if (result.pass?.settleReadyAt !== undefined) this.sources.settleAt(result.pass.settleReadyAt);
    // A paused run resumes where it stopped once the person resumes; a stopped one once
    // photoferry starts again (the queue is a table).
    if (interrupted)
      this.queueStore.add(
        current.trigger,
        `continues run ${current.id}`,
        this.now(),
        current.folders,
      );
    this.prune();
    // Kept, so stop() waits for it: it reads the database, which closes after stop().
    this.refreshing = this.refreshUsers()
      .then(() => this.sources.refreshRoots())
      .catch((error: unknown) => {
        this.serviceError("the watched folders could not be updated", error);
      });
  }

  private progress(current: CurrentRun, progress: RunProgress): void {
    const changed = current.steps.update(progress);
    this.events.progress({ type: "progress", run: this.summaryOf(current) }, changed);
  }

  private summaryOf(current: CurrentRun): RunSummary {
    const base = this.history.get(current.id);
    return {
      id: current.id,
      trigger: current.trigger,
      reason: current.reason,
      startedAt: new Date(current.startedAt).toISOString(),
      finishedAt: null,
      outcome: null,
      counts: base?.counts ?? { seen: 0, moved: 0, duplicates: 0, skipped: 0, failed: 0, bytes: 0 },
      steps: current.steps.snapshot(),
      errors: [],
    };
  }

  private landedAt(config: PhotoferryConfig, sha256: string): string | null {
    const row = this.deps.store.connection
      .prepare<[string], { location: string }>(
        "SELECT location FROM library_files WHERE origin = 'photoprism' AND sha256 = ? LIMIT 1",
      )
      .get(sha256);
    if (!row) return null;
    const root = config.photoprism.originalsDir;
    return root ? `${root.replace(/\/$/, "")}/${row.location.replace(/^\//, "")}` : row.location;
  }

  private async refreshUsers(): Promise<SelectedUser[]> {
    try {
      this.knownUsers = await discoverUsers(this.deps.config(), this.deps.store);
    } catch (error) {
      this.serviceError("Nextcloud's users could not be listed", error);
    }
    return this.knownUsers;
  }

  private prune(): void {
    const days = this.deps.config().history.keepDays;
    const removed = this.history.prune(this.now() - days * DAY_MS);
    if (removed > 0) this.deps.logger.info({ runs: removed, days }, "old history removed");
    const audited = this.deps.audit?.prune(days) ?? 0;
    if (audited > 0) this.deps.logger.info({ entries: audited, days }, "old audit entries removed");
  }

  private serviceError(message: string, error: unknown): void {
    const detail = error instanceof Error ? error.message : String(error);
    this.deps.logger.error({ err: error }, message);
    this.serviceErrors.unshift({
      at: new Date(this.now()).toISOString(),
      message: `${message}: ${detail}`,
    });
    this.serviceErrors.length = Math.min(this.serviceErrors.length, 20);
    if (this.state === "stopping") return; // nothing left to show it to
    this.faulted = true;
    if (this.state === "idle") this.setState("error");
    else this.emitState();
  }

  /** Where the service rests between runs. */
  private resting(): ServiceState {
    if (this.paused) return "paused";
    return this.faulted ? "error" : "idle";
  }

  private setState(state: ServiceState): void {
    this.state = state;
    this.emitState();
  }

  private emitState(): void {
    if (this.events.size > 0) this.events.emit({ type: "state", status: this.status() });
  }
}
