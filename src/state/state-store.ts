import { accessSync, constants, existsSync, mkdirSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import {
  latestVersion,
  migrations as builtInMigrations,
  validateMigrations,
} from "./migrations.js";
import type { Migration } from "./migrations.js";
import {
  StateStoreError,
  databaseError,
  isCodedError,
  stateDirError,
} from "./state-store-error.js";
import { cacheStatements } from "./statement-cache.js";

export { StateStoreError } from "./state-store-error.js";
export type { StateStoreErrorReason } from "./state-store-error.js";

export const DEFAULT_DB_FILE_NAME = "photoferry.db";
export const META_INSTANCE_ID = "instance_id";
export const META_CREATED_AT = "created_at";

export interface StateStoreOptions {
  /** Defaults to `photoferry.db`. */
  fileName?: string;
  /** Defaults to the built-in list; tests inject their own. */
  migrations?: readonly Migration[];
  /** How long a statement waits for another connection's lock. Defaults to 5000. */
  busyTimeoutMs?: number;
}

/** photoferry's SQLite database (WAL mode), migrated to the current schema on open. */
export class StateStore {
  readonly #getMeta: Database.Statement<[string], { value: string }>;
  readonly #setMeta: Database.Statement<[string, string]>;

  private constructor(
    /** Absolute path of the database file. */
    readonly path: string,
    /** For repositories in `src/state/`; everything else goes through them. */
    readonly connection: Database.Database,
    readonly schemaVersion: number,
  ) {
    this.#getMeta = connection.prepare("SELECT value FROM app_meta WHERE key = ?");
    this.#setMeta = connection.prepare(
      "INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    );
  }

  static open(stateDir: string, options: StateStoreOptions = {}): StateStore {
    const migrations = options.migrations ?? builtInMigrations;
    validateMigrations(migrations);
    const dir = resolve(stateDir);
    prepareDirectory(dir);
    const path = join(dir, options.fileName ?? DEFAULT_DB_FILE_NAME);

    let db: Database.Database | undefined;
    try {
      if (existsSync(path)) accessSync(path, constants.R_OK | constants.W_OK);
      db = new Database(path);
      cacheStatements(db);
      configure(db, path, options.busyTimeoutMs ?? 5000);
      const schemaVersion = migrate(db, path, migrations);
      return new StateStore(path, db, schemaVersion);
    } catch (error) {
      db?.close();
      if (error instanceof StateStoreError) throw error;
      throw databaseError(path, dir, error) ?? error;
    }
  }

  /**
   * Runs `fn` in a transaction (a savepoint when nested) and returns its result; rolls back if it
   * throws. `fn` must be synchronous: better-sqlite3 refuses a function that returns a promise.
   */
  transaction<T>(fn: () => T): T {
    // IMMEDIATE takes the write lock up front, so a second process waits out busy_timeout instead
    // of failing with SQLITE_BUSY when a read transaction later tries to write.
    return this.connection.transaction(fn).immediate();
  }

  getMeta(key: string): string | undefined {
    return this.#getMeta.get(key)?.value;
  }

  setMeta(key: string, value: string): void {
    this.#setMeta.run(key, value);
  }

  get isOpen(): boolean {
    return this.connection.open;
  }

  close(): void {
    if (this.connection.open) this.connection.close();
  }
}

function prepareDirectory(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    // SQLite creates the -wal and -shm files beside the database, so the folder must be writable.
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw stateDirError(dir, error);
  }
}

function configure(db: Database.Database, path: string, busyTimeoutMs: number): void {
  db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
  const mode = db.pragma("journal_mode = WAL", { simple: true });
  if (mode !== "wal") {
    throw new StateStoreError(
      "wal-unavailable",
      path,
      `journal_mode=${String(mode)}`,
      `The state database ${path} cannot use write-ahead logging`,
      "put `state.dir` on a local disk (not NFS/SMB)",
    );
  }
  // FULL, not NORMAL: the transfer journal records an intent before a file is renamed, and a
  // power cut must not lose that record while the rename survives (NORMAL may drop the last
  // commits in WAL mode). The cost is one fsync per commit, small next to copying photos.
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
}

function migrate(db: Database.Database, path: string, migrations: readonly Migration[]): number {
  const known = latestVersion(migrations);
  // One transaction for all pending migrations: the file is either fully on the new schema or
  // untouched, so an older photoferry can still open it after a failed upgrade.
  const run = db.transaction((): number => {
    db.exec(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY NOT NULL,
        name TEXT NOT NULL,
        applied_at TEXT NOT NULL
      ) STRICT;
    `);
    const applied = new Set(
      db
        .prepare<[], { version: number }>("SELECT version FROM schema_migrations")
        .all()
        .map((row) => row.version),
    );
    const newest = Math.max(0, ...applied);
    if (newest > known) {
      throw new StateStoreError(
        "schema-too-new",
        path,
        "SCHEMA_TOO_NEW",
        `The state database ${path} has schema version ${newest}, but this photoferry knows only up to ${known}: it was written by a newer photoferry`,
        "run that newer photoferry version again (downgrades are not supported), or restore a backup taken before the upgrade",
      );
    }

    const record = db.prepare<[number, string, string]>(
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
    );
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      applyMigration(db, path, migration);
      record.run(migration.version, migration.name, new Date().toISOString());
    }

    const violations = db.pragma("foreign_key_check") as unknown[];
    if (violations.length > 0) {
      throw new StateStoreError(
        "migration-failed",
        path,
        "FOREIGN_KEY_CHECK",
        `Migrating ${path} left ${violations.length} foreign key violation(s); nothing was changed`,
        "this is a bug in photoferry: please report it with the log",
      );
    }

    const seed = db.prepare<[string, string]>(
      "INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
    );
    seed.run(META_INSTANCE_ID, randomUUID());
    seed.run(META_CREATED_AT, new Date().toISOString());
    return Math.max(newest, known);
  });
  return run.immediate();
}

const environmentalCodes = /^SQLITE_(FULL|READONLY|IOERR|CANTOPEN|BUSY|LOCKED|CORRUPT|NOTADB|PERM)/;

function applyMigration(db: Database.Database, path: string, migration: Migration): void {
  try {
    db.exec(migration.sql);
  } catch (error) {
    if (isCodedError(error) && environmentalCodes.test(error.code)) throw error;
    const code = isCodedError(error) ? error.code : "UNKNOWN";
    const detail = error instanceof Error ? error.message : String(error);
    throw new StateStoreError(
      "migration-failed",
      path,
      code,
      `Migration ${migration.version} ("${migration.name}") failed on ${path}: ${detail}; the database was left unchanged`,
      "this is a bug in photoferry or the database was edited by hand: restore a backup or report the issue",
      { cause: error },
    );
  }
}
