import type Database from "better-sqlite3";
import { triggerPriority, type Trigger } from "../service/service-contract.js";

export interface QueuedRun {
  trigger: Trigger;
  reason: string;
  /** The source folders the run covers; `null` for all of them. */
  folders: string[] | null;
  /** Further requests folded into this one. */
  merged: number;
  requestedAt: number;
}

interface Row {
  trigger: Trigger;
  folders: string;
  reason: string;
  merged: number;
  requested_at: number;
}

const isTrigger = (value: string): value is Trigger => value in triggerPriority;

/** The stored key: the same folders in another order are the same run. */
const folderKey = (folders: string[] | null): string =>
  JSON.stringify(folders === null ? null : [...new Set(folders)].sort());

/**
 * Runs asked for and not started yet, kept in SQLite so a restart does not forget them. One
 * entry per trigger and set of folders: a second request for the same thing adds nothing but
 * is counted (the first reason and time are kept: that is how long it waited). A manual run
 * covers every folder, so it absorbs the scheduled runs waiting beside it.
 */
export class RunQueue {
  constructor(private readonly db: Database.Database) {}

  /** Returns true when a new entry was made, false when it merged with a pending one. */
  add(trigger: Trigger, reason: string, now: number, folders: string[] | null = null): boolean {
    return this.db.transaction(() => {
      const manual = this.get("manual");
      if (trigger === "scheduled" && manual?.folders === null) {
        this.bump("manual", null, 1);
        return false;
      }
      let absorbed = 0;
      if (trigger === "manual" && folders === null) {
        const scheduled = this.pending().filter((run) => run.trigger === "scheduled");
        absorbed = scheduled.reduce((sum, run) => sum + run.merged + 1, 0);
        this.db.prepare("DELETE FROM run_queue WHERE trigger = 'scheduled'").run();
      }
      const key = folderKey(folders);
      const existing = this.get(trigger, folders);
      this.db
        .prepare(
          `INSERT INTO run_queue (trigger, folders, reason, merged, requested_at)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (trigger, folders) DO UPDATE SET merged = merged + 1 + excluded.merged`,
        )
        .run(trigger, key, reason, absorbed, now);
      return existing === undefined;
    })();
  }

  get(trigger: Trigger, folders: string[] | null = null): QueuedRun | undefined {
    const row = this.db
      .prepare<[string, string], Row>("SELECT * FROM run_queue WHERE trigger = ? AND folders = ?")
      .get(trigger, folderKey(folders));
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
    if (next)
      this.db
        .prepare("DELETE FROM run_queue WHERE trigger = ? AND folders = ?")
        .run(next.trigger, folderKey(next.folders));
    return next;
  }

  get length(): number {
    return this.pending().length;
  }

  private bump(trigger: Trigger, folders: string[] | null, by: number): void {
    this.db
      .prepare("UPDATE run_queue SET merged = merged + ? WHERE trigger = ? AND folders = ?")
      .run(by, trigger, folderKey(folders));
  }
}

function fromRow(row: Row): QueuedRun {
  const folders = JSON.parse(row.folders) as unknown;
  return {
    trigger: row.trigger,
    reason: row.reason,
    // A row no code of ours wrote counts as a run of everything: the safe reading.
    folders: Array.isArray(folders) ? folders.filter((f) => typeof f === "string") : null,
    merged: row.merged,
    requestedAt: row.requested_at,
  };
}
