import type Database from "better-sqlite3";
import { triggerPriority, type Trigger } from "../service/service-contract.js";

export interface QueuedRun {
  trigger: Trigger;
  reason: string;
  /** Further requests of the same trigger folded into this one. */
  merged: number;
  requestedAt: number;
}

interface Row {
  trigger: Trigger;
  reason: string;
  merged: number;
  requested_at: number;
}

const isTrigger = (value: string): value is Trigger => value in triggerPriority;

/**
 * Runs asked for and not started yet, kept in SQLite so a restart does not forget them. One
 * entry per trigger: a run covers every file, so a second request of the same kind adds
 * nothing but is counted (the first reason and time are kept: that is how long it waited).
 */
export class RunQueue {
  constructor(private readonly db: Database.Database) {}

  /** Returns true when a new entry was made, false when it merged with a pending one. */
  add(trigger: Trigger, reason: string, now: number): boolean {
    const existing = this.get(trigger);
    this.db
      .prepare(
        `INSERT INTO run_queue (trigger, reason, merged, requested_at) VALUES (?, ?, 0, ?)
         ON CONFLICT (trigger) DO UPDATE SET merged = merged + 1`,
      )
      .run(trigger, reason, now);
    return existing === undefined;
  }

  get(trigger: Trigger): QueuedRun | undefined {
    const row = this.db
      .prepare<[string], Row>("SELECT * FROM run_queue WHERE trigger = ?")
      .get(trigger);
    return row ? fromRow(row) : undefined;
  }

  /** Highest priority first, then oldest. Rows with an unknown trigger are ignored. */
  pending(): QueuedRun[] {
    return this.db
      .prepare<[], Row>("SELECT * FROM run_queue")
      .all()
      .filter((row) => isTrigger(row.trigger))
      .map(fromRow)
      .sort(
        (a, b) =>
          triggerPriority[b.trigger] - triggerPriority[a.trigger] || a.requestedAt - b.requestedAt,
      );
  }

  /** Removes and returns the entry to run next. */
  take(): QueuedRun | undefined {
    const next = this.pending()[0];
    if (next) this.db.prepare("DELETE FROM run_queue WHERE trigger = ?").run(next.trigger);
    return next;
  }

  get length(): number {
    return this.pending().length;
  }
}

function fromRow(row: Row): QueuedRun {
  return {
    trigger: row.trigger,
    reason: row.reason,
    merged: row.merged,
    requestedAt: row.requested_at,
  };
}
