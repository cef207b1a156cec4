import type Database from "better-sqlite3";

/**
 * Under Node 24, better-sqlite3 12 can abort the whole process when the garbage collector
 * finalizes one of its objects outside a JavaScript context ("Assertion failed: (env) !=
 * nullptr" in Statement::~Statement, seen in CI under load; better-sqlite3 13 needs Node 22).
 * So photoferry never lets the GC collect them: each SQL text is prepared once per
 * connection and reused, pragmas go through the same cache, and every connection (with its
 * statements) is kept until the process ends. The cost is a few hundred small objects.
 */
const keptForever: Database.Database[] = [];

export function cacheStatements(db: Database.Database): void {
  const prepareNew = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  const prepare = (sql: string): Database.Statement => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = prepareNew(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
  db.prepare = prepare as typeof db.prepare;
  db.pragma = (source: string, options?: { simple?: boolean }) => {
    const statement = prepare(`PRAGMA ${source}`);
    if (!statement.reader) {
      statement.run();
      return options?.simple ? undefined : [];
    }
    return options?.simple ? statement.pluck(true).get() : statement.pluck(false).all();
  };
  keptForever.push(db);
}
