/** One step of the database schema. Applied once, in `version` order, never edited afterwards. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The schema's history. Append new migrations at the end; never change or reorder a released
 * one, since databases in the field have already recorded it as applied.
 *
 * All pending migrations run inside one transaction, so a migration cannot toggle
 * `PRAGMA foreign_keys` (a no-op inside a transaction) or run `VACUUM`.
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: "app_meta",
    sql: `
      CREATE TABLE app_meta (
        key TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: "ledger",
    // Inode, device and nanosecond mtimes are kept as decimal TEXT: they are only compared for
    // equality, and TEXT avoids 64-bit integers turning into imprecise JS numbers.
    sql: `
      CREATE TABLE known_users (
        id TEXT PRIMARY KEY NOT NULL,
        first_seen_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE scan_dirs (
        path TEXT PRIMARY KEY NOT NULL,
        mtime_ns TEXT NOT NULL,
        ctime_ns TEXT NOT NULL,
        subdirs TEXT NOT NULL,
        scanned_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE source_files (
        path TEXT PRIMARY KEY NOT NULL,
        user_id TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ms REAL NOT NULL,
        mtime_ns TEXT NOT NULL,
        ino TEXT NOT NULL,
        dev TEXT NOT NULL,
        settle_since INTEGER NOT NULL,
        sha256 TEXT,
        sha1 TEXT,
        status TEXT NOT NULL,
        reason TEXT,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX source_files_status ON source_files (status);
      CREATE INDEX source_files_sha256 ON source_files (sha256);

      CREATE TABLE library_files (
        sha256 TEXT NOT NULL,
        sha1 TEXT,
        origin TEXT NOT NULL,
        location TEXT NOT NULL,
        name TEXT NOT NULL,
        size INTEGER NOT NULL,
        exif_key TEXT,
        added_at INTEGER NOT NULL,
        PRIMARY KEY (origin, location)
      ) STRICT;
      CREATE INDEX library_files_sha256 ON library_files (sha256);
      CREATE INDEX library_files_sha1 ON library_files (sha1);
      CREATE INDEX library_files_name_size ON library_files (name, size);
      CREATE INDEX library_files_exif ON library_files (exif_key);

      CREATE TABLE batches (
        id TEXT PRIMARY KEY NOT NULL,
        state TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE journal (
        id INTEGER PRIMARY KEY,
        batch_id TEXT NOT NULL REFERENCES batches (id),
        group_key TEXT NOT NULL,
        user_id TEXT NOT NULL,
        action TEXT NOT NULL,
        source_path TEXT NOT NULL,
        staged_relative TEXT NOT NULL,
        method TEXT NOT NULL,
        after_move TEXT NOT NULL,
        archive_path TEXT,
        sha256 TEXT NOT NULL,
        sha1 TEXT,
        size INTEGER NOT NULL,
        mtime_ms REAL NOT NULL,
        state TEXT NOT NULL,
        error TEXT,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX journal_batch ON journal (batch_id);
      CREATE INDEX journal_source ON journal (source_path);
    `,
  },
  {
    version: 3,
    name: "indexing_chain",
    // A published batch still has to be imported by PhotoPrism and scanned by Nextcloud; this
    // state survives crashes so a later pass picks the batch up where it stopped.
    sql: `
      CREATE TABLE batch_indexing (
        batch_id TEXT PRIMARY KEY NOT NULL REFERENCES batches (id),
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        result TEXT,
        error TEXT,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE commands (
        id INTEGER PRIMARY KEY,
        app TEXT NOT NULL,
        step TEXT NOT NULL,
        batch_id TEXT,
        target TEXT NOT NULL,
        argv TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        exit_code INTEGER,
        timed_out INTEGER NOT NULL,
        ok INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL,
        parsed TEXT,
        error TEXT,
        output_tail TEXT NOT NULL,
        started_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX commands_started ON commands (started_at);
      CREATE INDEX commands_batch ON commands (batch_id);
    `,
  },
  {
    version: 4,
    name: "service_history",
    // The service's memory: every run with its counts and step timings, every file action
    // (the activity log), and the runs asked for and not started yet, so a restart keeps them.
    // JSON columns hold data that is only ever shown, never queried.
    sql: `
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        trigger TEXT NOT NULL,
        reason TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        finished_at INTEGER,
        outcome TEXT,
        counts TEXT NOT NULL,
        steps TEXT NOT NULL,
        errors TEXT NOT NULL
      ) STRICT;
      CREATE INDEX runs_started ON runs (started_at);

      CREATE TABLE activity (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        user_id TEXT NOT NULL,
        action TEXT NOT NULL,
        source TEXT NOT NULL,
        destination TEXT,
        sha256 TEXT,
        sha1 TEXT,
        size INTEGER,
        reason TEXT
      ) STRICT;
      CREATE INDEX activity_run ON activity (run_id);
      CREATE INDEX activity_user_at ON activity (user_id, at);
      CREATE INDEX activity_at ON activity (at);
      CREATE INDEX activity_sha256 ON activity (sha256);
      CREATE INDEX activity_sha1 ON activity (sha1);

      CREATE TABLE run_queue (
        trigger TEXT PRIMARY KEY NOT NULL,
        reason TEXT NOT NULL,
        merged INTEGER NOT NULL DEFAULT 0,
        requested_at INTEGER NOT NULL
      ) STRICT;

      ALTER TABLE commands ADD COLUMN run_id INTEGER;
      CREATE INDEX commands_run ON commands (run_id);
    `,
  },
  {
    version: 5,
    name: "run_queue_folders",
    // Per-folder schedules: several scheduled runs, each for its own folders, may wait at once.
    // \`folders\` is JSON: \`null\` for every source folder, else a sorted list. SQLite cannot
    // change a primary key in place, so the table is rebuilt.
    sql: `
      CREATE TABLE run_queue_v5 (
        trigger TEXT NOT NULL,
        folders TEXT NOT NULL DEFAULT 'null',
        reason TEXT NOT NULL,
        merged INTEGER NOT NULL DEFAULT 0,
        requested_at INTEGER NOT NULL,
        PRIMARY KEY (trigger, folders)
      ) STRICT;
      INSERT INTO run_queue_v5 (trigger, folders, reason, merged, requested_at)
        SELECT trigger, 'null', reason, merged, requested_at FROM run_queue;
      DROP TABLE run_queue;
      ALTER TABLE run_queue_v5 RENAME TO run_queue;
    `,
  },
  {
    version: 6,
    name: "security",
    // Issue 7. Sessions and API tokens are stored by the SHA-256 of their secret only, so a copy
    // of the database cannot be replayed as a login. Times are epoch milliseconds, except the
    // audit log's `at`, which is ISO 8601 so it reads well in a plain SQLite shell and sorts
    // correctly as text. `detail` is JSON that is only ever shown, never queried.
    sql: `
      CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY NOT NULL,
        user TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX sessions_expires ON sessions (expires_at);

      CREATE TABLE api_tokens (
        id TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL,
        scope TEXT NOT NULL CHECK (scope IN ('read', 'write')),
        token_hash TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        last_used_at INTEGER
      ) STRICT;

      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        ip TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT
      ) STRICT;
      CREATE INDEX audit_log_at ON audit_log (at);
    `,
  },
];

/** Throws when versions are not positive integers in strictly increasing order, or a name is blank. */
export function validateMigrations(list: readonly Migration[]): void {
  let previous = 0;
  for (const migration of list) {
    if (!Number.isInteger(migration.version) || migration.version < 1) {
      throw new Error(
        `Migration "${migration.name}" has version ${migration.version}; versions are integers from 1`,
      );
    }
    if (migration.version <= previous) {
      throw new Error(
        `Migration versions must strictly increase: ${migration.version} ("${migration.name}") comes after ${previous}`,
      );
    }
    if (migration.name.trim() === "") {
      throw new Error(`Migration ${migration.version} has no name`);
    }
    previous = migration.version;
  }
}

/** The schema version the given migrations lead to (0 for none). */
export function latestVersion(list: readonly Migration[]): number {
  return list.at(-1)?.version ?? 0;
}
