import type Database from "better-sqlite3";

/** `publishing` is recorded just before the one rename that publishes the batch. */
export type BatchState = "staging" | "publishing" | "published" | "done";

/**
 * One file's way through a batch: planned → staged (whole and verified in the hidden staging
 * folder) → published (the batch folder renamed into the import folder) → done (the source
 * handled by afterMove). A duplicate skips staging: planned → done. `failed` entries were
 * rolled back; their source was never touched.
 */
export type JournalState = "planned" | "staged" | "published" | "done" | "failed";

export type JournalAction = "transfer" | "duplicate";

/** How the content reaches staging: `rename` when the source may go, else `copy`. */
export type TransferMethod = "rename" | "copy" | "none";

export interface JournalEntry {
  id: number;
  batchId: string;
  groupKey: string;
  userId: string;
  action: JournalAction;
  sourcePath: string;
  /** Path inside the batch folder: `<user>/<path below the user's files>`. */
  stagedRelative: string;
  method: TransferMethod;
  afterMove: "archive" | "delete" | "keep";
  archivePath: string | null;
  sha256: string;
  sha1: string | null;
  size: number;
  mtimeMs: number;
  state: JournalState;
  error: string | null;
  updatedAt: number;
}

export type NewJournalEntry = Omit<
  JournalEntry,
  "id" | "batchId" | "state" | "error" | "updatedAt"
>;

export interface Batch {
  id: string;
  state: BatchState;
  createdAt: number;
  updatedAt: number;
}

interface EntryRow {
  id: number;
  batch_id: string;
  group_key: string;
  user_id: string;
  action: JournalAction;
  source_path: string;
  staged_relative: string;
  method: TransferMethod;
  after_move: JournalEntry["afterMove"];
  archive_path: string | null;
  sha256: string;
  sha1: string | null;
  size: number;
  mtime_ms: number;
  state: JournalState;
  error: string | null;
  updated_at: number;
}

const fromRow = (row: EntryRow): JournalEntry => ({
  id: row.id,
  batchId: row.batch_id,
  groupKey: row.group_key,
  userId: row.user_id,
  action: row.action,
  sourcePath: row.source_path,
  stagedRelative: row.staged_relative,
  method: row.method,
  afterMove: row.after_move,
  archivePath: row.archive_path,
  sha256: row.sha256,
  sha1: row.sha1,
  size: row.size,
  mtimeMs: row.mtime_ms,
  state: row.state,
  error: row.error,
  updatedAt: row.updated_at,
});

/** The transfer journal: what was intended, so a crash can be finished or rolled back. */
export class Journal {
  constructor(private readonly db: Database.Database) {}

  /** Records a batch and all its intents in one transaction, before any file is touched. */
  createBatch(id: string, entries: readonly NewJournalEntry[], now: number): void {
    const insertBatch = this.db.prepare(
      "INSERT INTO batches (id, state, created_at, updated_at) VALUES (?, 'staging', ?, ?)",
    );
    const insertEntry = this.db.prepare(
      `INSERT INTO journal (batch_id, group_key, user_id, action, source_path, staged_relative,
         method, after_move, archive_path, sha256, sha1, size, mtime_ms, state, error, updated_at)
       VALUES (@batchId, @groupKey, @userId, @action, @sourcePath, @stagedRelative, @method,
         @afterMove, @archivePath, @sha256, @sha1, @size, @mtimeMs, 'planned', NULL, @now)`,
    );
    this.db.transaction(() => {
      insertBatch.run(id, now, now);
      for (const entry of entries) insertEntry.run({ ...entry, batchId: id, now });
    })();
  }

  batch(id: string): Batch | undefined {
    const row = this.db
      .prepare<[string], { id: string; state: BatchState; created_at: number; updated_at: number }>(
        "SELECT * FROM batches WHERE id = ?",
      )
      .get(id);
    return (
      row && { id: row.id, state: row.state, createdAt: row.created_at, updatedAt: row.updated_at }
    );
  }

  /** Batches created at or after `since` (ms), oldest first. */
  batchesCreatedSince(since: number): string[] {
    return this.db
      .prepare<[number], { id: string }>(
        "SELECT id FROM batches WHERE created_at >= ? ORDER BY created_at, id",
      )
      .all(since)
      .map((row) => row.id);
  }

  unfinishedBatches(): string[] {
    return this.db
      .prepare<[], { id: string }>("SELECT id FROM batches WHERE state != 'done' ORDER BY id")
      .all()
      .map((row) => row.id);
  }

  entries(batchId: string): JournalEntry[] {
    return this.db
      .prepare<[string], EntryRow>("SELECT * FROM journal WHERE batch_id = ? ORDER BY id")
      .all(batchId)
      .map(fromRow);
  }

  /** Source paths that an unfinished batch still owns: a new pass must leave them alone. */
  sourcesInFlight(): Set<string> {
    const rows = this.db
      .prepare<[], { source_path: string }>(
        `SELECT j.source_path FROM journal j JOIN batches b ON b.id = j.batch_id
         WHERE b.state != 'done' AND j.state NOT IN ('done', 'failed')`,
      )
      .all();
    return new Set(rows.map((row) => row.source_path));
  }

  setEntryMethod(id: number, method: TransferMethod, now: number): void {
    this.db
      .prepare("UPDATE journal SET method = ?, updated_at = ? WHERE id = ?")
      .run(method, now, id);
  }

  setBatchState(id: string, state: BatchState, now: number): void {
    this.db
      .prepare("UPDATE batches SET state = ?, updated_at = ? WHERE id = ?")
      .run(state, now, id);
  }

  setEntryState(
    id: number,
    state: JournalState,
    now: number,
    patch: { error?: string | null; archivePath?: string | null; stagedRelative?: string } = {},
  ): void {
    this.db
      .prepare(
        `UPDATE journal SET state = @state, updated_at = @now,
           error = CASE WHEN @setError THEN @error ELSE error END,
           archive_path = CASE WHEN @setArchive THEN @archivePath ELSE archive_path END,
           staged_relative = COALESCE(@stagedRelative, staged_relative)
         WHERE id = @id`,
      )
      .run({
        id,
        state,
        now,
        setError: patch.error !== undefined ? 1 : 0,
        error: patch.error ?? null,
        setArchive: patch.archivePath !== undefined ? 1 : 0,
        archivePath: patch.archivePath ?? null,
        stagedRelative: patch.stagedRelative ?? null,
      });
  }
}
