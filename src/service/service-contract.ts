/**
 * What the long-running service offers to the REST API, the web UI and notifications. The
 * orchestrator implements it; HTTP routes only validate, call one method and map errors.
 * Everything here is plain JSON-able data.
 */

/** Why a run was asked for; also its priority, highest first (see `triggerPriority`). */
export type Trigger = "manual" | "scheduled" | "watch";

/** manual > scheduled > watch (a reconcile scan enqueues as `watch`). */
export const triggerPriority: Record<Trigger, number> = { manual: 3, scheduled: 2, watch: 1 };

export type ServiceState = "starting" | "idle" | "running" | "paused" | "stopping" | "error";

/** The steps of a run, in order; the UI shows one progress bar per step. */
export const stepNames = ["detect", "hash", "transfer", "import", "scan", "memories"] as const;
export type StepName = (typeof stepNames)[number];

export interface StepProgress {
  name: StepName;
  state: "pending" | "running" | "done" | "failed" | "skipped";
  startedAt: string | null;
  finishedAt: string | null;
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface RunCounts {
  seen: number;
  moved: number;
  duplicates: number;
  skipped: number;
  failed: number;
  bytes: number;
}

export type RunOutcome = "ok" | "failed" | "nothing-to-do" | "interrupted";

export interface RunSummary {
  id: number;
  trigger: Trigger;
  /** What asked for it, e.g. "schedule", "user admin", "3 files changed". */
  reason: string;
  startedAt: string;
  finishedAt: string | null;
  outcome: RunOutcome | null;
  counts: RunCounts;
  steps: StepProgress[];
  errors: string[];
}

export interface RunCommand {
  app: "nextcloud" | "photoprism";
  step: string;
  argv: string[];
  exitCode: number | null;
  ok: boolean;
  durationMs: number;
  error: string | null;
  outputTail: string;
  startedAt: string;
}

export interface RunDetail extends RunSummary {
  files: ActivityEntry[];
  commands: RunCommand[];
}

/** One file action: the activity log. */
export interface ActivityEntry {
  id: number;
  runId: number;
  at: string;
  userId: string;
  action: "transferred" | "duplicate" | "quarantined" | "failed" | "imported" | "left-behind";
  source: string;
  destination: string | null;
  sha256: string | null;
  sha1: string | null;
  size: number | null;
  reason: string | null;
}

export interface ActivityFilter {
  userId?: string;
  /** Part of the file name or path. */
  name?: string;
  /** A SHA-256 or SHA-1, or its beginning. */
  hash?: string;
  /** ISO dates, inclusive. */
  from?: string;
  to?: string;
  limit?: number;
  offset?: number;
}

export interface QueueView {
  /** Runs asked for and not started yet, highest priority first. */
  pending: { trigger: Trigger; reason: string; requestedAt: string }[];
  /** Files photoferry knows about and has not finished, per user. */
  files: {
    userId: string;
    path: string;
    state: "waiting" | "settling" | "in-flight" | "quarantined" | "failed";
    reason: string | null;
  }[];
}

export interface StatusSnapshot {
  state: ServiceState;
  version: string;
  startedAt: string;
  paused: boolean;
  current: RunSummary | null;
  queueLength: number;
  /** The next few cron firings (ISO), soonest first; empty when no schedule is set. */
  nextRuns: string[];
  /**
   * The same firings with what each covers: `folders` null for every source folder, else the
   * folders of a per-folder schedule (or those the global cron still covers).
   */
  nextScheduled?: { at: string; cron: string; folders: string[] | null }[];
  lastRun: RunSummary | null;
  totals: { runs: number; moved: number; duplicates: number; failed: number; bytes: number };
  /** Errors of the last run or of the service itself, newest first. */
  recentErrors: { at: string; message: string }[];
}

export interface UserView {
  id: string;
  included: boolean;
  /** Appeared after the first discovery; highlighted until included or excluded. */
  isNew: boolean;
  reason: string | null;
  counts: { moved: number; duplicates: number; failed: number; bytes: number };
}

/** Pushed to `/api/events` (SSE) and to notifications. */
export type ServiceEvent =
  | { type: "state"; status: StatusSnapshot }
  | { type: "progress"; run: RunSummary }
  | { type: "run-finished"; run: RunSummary }
  | { type: "log"; level: "debug" | "info" | "warn" | "error"; message: string; at: string };

export class ServiceBusyError extends Error {
  override readonly name = "ServiceBusyError";
}

export interface PhotoferryService {
  status(): StatusSnapshot;
  /** Enqueues a run (never runs two at once); a duplicate request merges with a pending one. */
  trigger(trigger: Trigger, reason: string): { queued: boolean; queueLength: number };
  /** The current step finishes safely; no new run starts until `resume`. */
  pause(): void;
  resume(): void;
  queue(): QueueView;
  runs(page: { limit: number; offset: number }): { items: RunSummary[]; total: number };
  run(id: number): RunDetail | undefined;
  activity(filter: ActivityFilter): { items: ActivityEntry[]; total: number };
  users(): UserView[];
  /** Returns the unsubscribe function. */
  subscribe(listener: (event: ServiceEvent) => void): () => void;
}
