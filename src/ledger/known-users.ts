import type Database from "better-sqlite3";

/**
 * Users photoferry has seen, for `autoIncludeNew`. `hasDiscovered` is separate from the
 * list being non-empty: a first discovery that finds nobody must still make later users new.
 */
export class KnownUsers {
  constructor(private readonly db: Database.Database) {}

  all(): Set<string> {
    const rows = this.db.prepare<[], { id: string }>("SELECT id FROM known_users").all();
    return new Set(rows.map((row) => row.id));
  }

  hasDiscovered(): boolean {
    return (
      this.db
        .prepare<[], { value: string }>("SELECT value FROM app_meta WHERE key = 'users_discovered'")
        .get() !== undefined
    );
  }

  /** Only ever adds: a user held back once stays new until included. */
  add(ids: readonly string[], now: number): void {
    const insert = this.db.prepare(
      "INSERT OR IGNORE INTO known_users (id, first_seen_at) VALUES (?, ?)",
    );
    this.db.transaction(() => {
      for (const id of ids) insert.run(id, now);
      this.db
        .prepare("INSERT OR IGNORE INTO app_meta (key, value) VALUES ('users_discovered', ?)")
        .run(String(now));
    })();
  }
}
