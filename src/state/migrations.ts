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
