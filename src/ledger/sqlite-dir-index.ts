import type Database from "better-sqlite3";
import type { DirIndex, DirRecord } from "../scan/dir-index.js";

interface Row {
  path: string;
  mtime_ns: string;
  ctime_ns: string;
  subdirs: string;
  scanned_at: number;
}

/** The reconcile scan's directory index, kept between runs in the state database. */
export class SqliteDirIndex implements DirIndex {
  private readonly getStatement;
  private readonly putStatement;
  private readonly removeStatement;

  constructor(db: Database.Database) {
    this.getStatement = db.prepare<[string], Row>("SELECT * FROM scan_dirs WHERE path = ?");
    this.putStatement = db.prepare(
      `INSERT INTO scan_dirs (path, mtime_ns, ctime_ns, subdirs, scanned_at)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (path) DO UPDATE SET mtime_ns = excluded.mtime_ns, ctime_ns = excluded.ctime_ns,
         subdirs = excluded.subdirs, scanned_at = excluded.scanned_at`,
    );
    // '0' is the character after '/': this range is exactly the paths below `path`.
    this.removeStatement = db.prepare(
      "DELETE FROM scan_dirs WHERE path = @p OR (path >= @p || '/' AND path < @p || '0')",
    );
  }

  get(path: string): DirRecord | undefined {
    const row = this.getStatement.get(path);
    if (!row) return undefined;
    return {
      path: row.path,
      mtimeNs: BigInt(row.mtime_ns),
      ctimeNs: BigInt(row.ctime_ns),
      subdirs: JSON.parse(row.subdirs) as string[],
      scannedAtMs: row.scanned_at,
    };
  }

  put(record: DirRecord): void {
    this.putStatement.run(
      record.path,
      record.mtimeNs.toString(),
      record.ctimeNs.toString(),
      JSON.stringify(record.subdirs),
      record.scannedAtMs,
    );
  }

  removeTree(path: string): void {
    this.removeStatement.run({ p: path.replace(/\/+$/, "") });
  }
}
