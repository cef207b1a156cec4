import type Database from "better-sqlite3";

export type SourceFileStatus =
  /** Seen, waiting to settle or to be ferried. */
  | "pending"
  /** In PhotoPrism's import folder (or on its way, per the journal). */
  | "transferred"
  /** Its content was already in the library; handled by afterMove. */
  | "duplicate"
  /** Ferried (or a duplicate) with `afterMove: keep`: left in place, never sent again. */
  | "kept"
  | "quarantined"
  /** Could not be handled this time; retried when it changes. */
  | "failed";

/** A file in a user's source folder, as photoferry last saw it. */
export interface SourceFile {
  path: string;
  userId: string;
  size: number;
  mtimeMs: number;
  /** Decimal strings: compared for equality only. */
  mtimeNs: string;
  ino: string;
  dev: string;
  /** When this size and mtime were first seen (for settling). */
  settleSince: number;
  sha256: string | null;
  sha1: string | null;
  status: SourceFileStatus;
  reason: string | null;
  updatedAt: number;
}

interface Row {
  path: string;
  user_id: string;
  size: number;
  mtime_ms: number;
  mtime_ns: string;
  ino: string;
  dev: string;
  settle_since: number;
  sha256: string | null;
  sha1: string | null;
  status: SourceFileStatus;
  reason: string | null;
  updated_at: number;
}

const fromRow = (row: Row): SourceFile => ({
  path: row.path,
  userId: row.user_id,
  size: row.size,
  mtimeMs: row.mtime_ms,
  mtimeNs: row.mtime_ns,
  ino: row.ino,
  dev: row.dev,
  settleSince: row.settle_since,
  sha256: row.sha256,
  sha1: row.sha1,
  status: row.status,
  reason: row.reason,
  updatedAt: row.updated_at,
});

/** True when path, size, mtime and inode all match: the content need not be read again. */
export function isUnchanged(
  known: Pick<SourceFile, "size" | "mtimeNs" | "ino" | "dev">,
  seen: Pick<SourceFile, "size" | "mtimeNs" | "ino" | "dev">,
): boolean {
  return (
    known.size === seen.size &&
    known.mtimeNs === seen.mtimeNs &&
    known.ino === seen.ino &&
    known.dev === seen.dev
  );
}

/** The ledger of source files. Every statement is prepared once. */
export class SourceFiles {
  private readonly getStatement;
  private readonly putStatement;
  private readonly statusStatement;
  private readonly pendingStatement;
  private readonly removeStatement;

  constructor(db: Database.Database) {
    this.getStatement = db.prepare<[string], Row>("SELECT * FROM source_files WHERE path = ?");
    this.putStatement = db.prepare(
      `INSERT INTO source_files (path, user_id, size, mtime_ms, mtime_ns, ino, dev, settle_since,
         sha256, sha1, status, reason, updated_at)
       VALUES (@path, @userId, @size, @mtimeMs, @mtimeNs, @ino, @dev, @settleSince,
         @sha256, @sha1, @status, @reason, @updatedAt)
       ON CONFLICT (path) DO UPDATE SET user_id = excluded.user_id, size = excluded.size,
         mtime_ms = excluded.mtime_ms, mtime_ns = excluded.mtime_ns, ino = excluded.ino,
         dev = excluded.dev, settle_since = excluded.settle_since, sha256 = excluded.sha256,
         sha1 = excluded.sha1, status = excluded.status, reason = excluded.reason,
         updated_at = excluded.updated_at`,
    );
    this.statusStatement = db.prepare(
      "UPDATE source_files SET status = ?, reason = ?, updated_at = ? WHERE path = ?",
    );
    this.pendingStatement = db.prepare<[], Row>(
      "SELECT * FROM source_files WHERE status IN ('pending', 'failed') ORDER BY path",
    );
    this.removeStatement = db.prepare("DELETE FROM source_files WHERE path = ?");
  }

  get(path: string): SourceFile | undefined {
    const row = this.getStatement.get(path);
    return row ? fromRow(row) : undefined;
  }

  put(file: SourceFile): void {
    this.putStatement.run(file);
  }

  setStatus(path: string, status: SourceFileStatus, reason: string | null, now: number): void {
    this.statusStatement.run(status, reason, now, path);
  }

  /** Files waiting or failed before: re-checked on every pass even when their folder did not change. */
  pending(): SourceFile[] {
    return this.pendingStatement.all().map(fromRow);
  }

  remove(path: string): void {
    this.removeStatement.run(path);
  }
}
