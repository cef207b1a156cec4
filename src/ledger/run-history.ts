import type Database from "better-sqlite3";
import type {
  ActivityEntry,
  RunCommand,
  RunCounts,
  RunOutcome,
  RunSummary,
  StepProgress,
  Trigger,
} from "../service/service-contract.js";
import { activityWhere, type ActivityQuery } from "./activity-query.js";

export type NewActivity = Omit<ActivityEntry, "id" | "runId" | "at"> & { at: number };

export interface FinishedRun {
  finishedAt: number;
  outcome: RunOutcome;
  counts: RunCounts;
  steps: StepProgress[];
  errors: string[];
}

export const emptyCounts = (): RunCounts => ({
  seen: 0,
  moved: 0,
  duplicates: 0,
  skipped: 0,
  failed: 0,
  bytes: 0,
});

interface RunRow {
  id: number;
  trigger: Trigger;
  reason: string;
  started_at: number;
  finished_at: number | null;
  outcome: RunOutcome | null;
  counts: string;
  steps: string;
  errors: string;
}

interface ActivityRow {
  id: number;
  run_id: number;
  at: number;
  user_id: string;
  action: ActivityEntry["action"];
  source: string;
  destination: string | null;
  sha256: string | null;
  sha1: string | null;
  size: number | null;
  reason: string | null;
}

interface CommandRow {
  app: RunCommand["app"];
  step: string;
  argv: string;
  exit_code: number | null;
  ok: number;
  duration_ms: number;
  error: string | null;
  output_tail: string;
  started_at: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Every run of the service and every file action, for the UI, the API and CSV exports. */
type Totals = { runs: number; moved: number; duplicates: number; failed: number; bytes: number };

export class RunHistory {
  private cachedTotals: Totals | undefined;

  constructor(private readonly db: Database.Database) {}

  start(trigger: Trigger, reason: string, startedAt: number, steps: StepProgress[]): number {
    this.cachedTotals = undefined;
    const result = this.db
      .prepare(
        `INSERT INTO runs (trigger, reason, started_at, counts, steps, errors)
         VALUES (?, ?, ?, ?, ?, '[]')`,
      )
      .run(trigger, reason, startedAt, JSON.stringify(emptyCounts()), JSON.stringify(steps));
    return Number(result.lastInsertRowid);
  }

  /**
   * Records the end of a run with its file actions, and links the commands it ran: one run at
   * a time, so every command started since the run began and not yet linked is this run's.
   */
  finish(id: number, run: FinishedRun, activity: readonly NewActivity[]): void {
    this.cachedTotals = undefined;
    const insert = this.db.prepare(
      `INSERT INTO activity (run_id, at, user_id, action, source, destination, sha256, sha1, size, reason)
       VALUES (@runId, @at, @userId, @action, @source, @destination, @sha256, @sha1, @size, @reason)`,
    );
    this.db.transaction(() => {
      const row = this.db
        .prepare<[number], { started_at: number }>("SELECT started_at FROM runs WHERE id = ?")
        .get(id);
      if (!row) throw new Error(`run ${id} is not in the history`);
      this.db
        .prepare(
          `UPDATE runs SET finished_at = ?, outcome = ?, counts = ?, steps = ?, errors = ?
           WHERE id = ?`,
        )
        .run(
          run.finishedAt,
          run.outcome,
          JSON.stringify(run.counts),
          JSON.stringify(run.steps),
          JSON.stringify(run.errors),
          id,
        );
      for (const entry of activity) insert.run({ ...entry, runId: id });
      this.db
        .prepare("UPDATE commands SET run_id = ? WHERE run_id IS NULL AND started_at >= ?")
        .run(id, row.started_at);
    })();
  }

  /** Runs a crash or kill left open: they ended, unrecorded, when the process did. */
  closeUnfinished(now: number): number {
    this.cachedTotals = undefined;
    return this.db
      .prepare(
        `UPDATE runs SET finished_at = ?, outcome = 'interrupted',
           errors = json_insert(errors, '$[#]', 'photoferry stopped before the run finished')
         WHERE finished_at IS NULL`,
      )
      .run(now).changes;
  }

  list(page: { limit: number; offset: number }): { items: RunSummary[]; total: number } {
    const items = this.db
      .prepare<[number, number], RunRow>("SELECT * FROM runs ORDER BY id DESC LIMIT ? OFFSET ?")
      .all(page.limit, page.offset)
      .map(summaryOf);
    return { items, total: this.count("SELECT count(*) AS n FROM runs") };
  }

  get(id: number): RunSummary | undefined {
    const row = this.db.prepare<[number], RunRow>("SELECT * FROM runs WHERE id = ?").get(id);
    return row ? summaryOf(row) : undefined;
  }

  /** The newest finished run. */
  last(): RunSummary | undefined {
    const row = this.db
      .prepare<[], RunRow>("SELECT * FROM runs WHERE finished_at IS NOT NULL ORDER BY id DESC")
      .get();
    return row ? summaryOf(row) : undefined;
  }

  commands(runId: number): RunCommand[] {
    return this.db
      .prepare<[number], CommandRow>("SELECT * FROM commands WHERE run_id = ? ORDER BY id")
      .all(runId)
      .map((row) => ({
        app: row.app,
        step: row.step,
        argv: JSON.parse(row.argv) as string[],
        exitCode: row.exit_code,
        ok: row.ok === 1,
        durationMs: row.duration_ms,
        error: row.error,
        outputTail: row.output_tail,
        startedAt: iso(row.started_at),
      }));
  }

  activity(query: ActivityQuery): { items: ActivityEntry[]; total: number } {
    const { sql, params } = activityWhere(query);
    const total = this.count(`SELECT count(*) AS n FROM activity ${sql}`, params);
    const items = this.db
      .prepare<unknown[], ActivityRow>(
        `SELECT * FROM activity ${sql} ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`,
      )
      .all(...params, query.limit, query.offset)
      .map(activityOf);
    return { items, total };
  }

  /** Per user: files moved, duplicates, failures and bytes moved, over the kept history. */
  userCounts(): Map<string, { moved: number; duplicates: number; failed: number; bytes: number }> {
    const rows = this.db
      .prepare<
        [],
        { user_id: string; moved: number; duplicates: number; failed: number; bytes: number }
      >(
        `SELECT user_id,
           sum(action = 'transferred') AS moved,
           sum(action = 'duplicate') AS duplicates,
           sum(action IN ('failed', 'quarantined', 'left-behind')) AS failed,
           coalesce(sum(CASE WHEN action = 'transferred' THEN size END), 0) AS bytes
         FROM activity GROUP BY user_id`,
      )
      .all();
    return new Map(rows.map(({ user_id, ...counts }) => [user_id, counts]));
  }

  /**
   * Asked on every /api/status, /healthz and state event: computed once, then kept until a
   * run starts or finishes or history is pruned (a GROUP BY over all activity is not cheap).
   */
  totals(): Totals {
    return (this.cachedTotals ??= this.computeTotals());
  }

  private computeTotals(): Totals {
    const runs = this.count("SELECT count(*) AS n FROM runs");
    let moved = 0;
    let duplicates = 0;
    let failed = 0;
    let bytes = 0;
    for (const counts of this.userCounts().values()) {
      moved += counts.moved;
      duplicates += counts.duplicates;
      failed += counts.failed;
      bytes += counts.bytes;
    }
    return { runs, moved, duplicates, failed, bytes };
  }

  /** Errors of the newest runs that had any, newest first. */
  recentErrors(limit: number): { at: string; message: string }[] {
    const rows = this.db
      .prepare<[], { finished_at: number; errors: string }>(
        `SELECT finished_at, errors FROM runs
         WHERE finished_at IS NOT NULL AND errors != '[]' ORDER BY id DESC LIMIT 20`,
      )
      .all();
    return rows
      .flatMap((row) =>
        (JSON.parse(row.errors) as string[]).map((message) => ({
          at: iso(row.finished_at),
          message,
        })),
      )
      .slice(0, limit);
  }

  /** Forgets runs, their file actions and commands older than `before` (ms). */
  prune(before: number): number {
    this.cachedTotals = undefined;
    return this.db.transaction(() => {
      this.db.prepare("DELETE FROM commands WHERE started_at < ?").run(before);
      return this.db
        .prepare("DELETE FROM runs WHERE started_at < ? AND finished_at IS NOT NULL")
        .run(before).changes;
    })();
  }

  private count(sql: string, params: unknown[] = []): number {
    return this.db.prepare<unknown[], { n: number }>(sql).get(...params)?.n ?? 0;
  }
}

function summaryOf(row: RunRow): RunSummary {
  return {
    id: row.id,
    trigger: row.trigger,
    reason: row.reason,
    startedAt: iso(row.started_at),
    finishedAt: row.finished_at === null ? null : iso(row.finished_at),
    outcome: row.outcome,
    counts: JSON.parse(row.counts) as RunCounts,
    steps: JSON.parse(row.steps) as StepProgress[],
    errors: JSON.parse(row.errors) as string[],
  };
}

function activityOf(row: ActivityRow): ActivityEntry {
  return {
    id: row.id,
    runId: row.run_id,
    at: iso(row.at),
    userId: row.user_id,
    action: row.action,
    source: row.source,
    destination: row.destination,
    sha256: row.sha256,
    sha1: row.sha1,
    size: row.size,
    reason: row.reason,
  };
}
