import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrations, type Migration } from "./migrations.js";
import { StateStore, StateStoreError } from "./state-store.js";

let root: string;
const opened: StateStore[] = [];

function open(dir: string, options?: Parameters<typeof StateStore.open>[1]): StateStore {
  const store = StateStore.open(dir, options);
  opened.push(store);
  return store;
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

function tableNames(store: StateStore): string[] {
  return store.connection
    .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table'")
    .all()
    .map((row) => row.name);
}

function appliedVersions(store: StateStore): number[] {
  return store.connection
    .prepare<[], { version: number }>("SELECT version FROM schema_migrations ORDER BY version")
    .all()
    .map((row) => row.version);
}

// Test migrations go after the real ones, whatever their number.
const latest = migrations.at(-1)?.version ?? 0;
const withTable: Migration[] = [
  ...migrations,
  {
    version: latest + 1,
    name: "thing",
    sql: "CREATE TABLE thing (id INTEGER PRIMARY KEY) STRICT;",
  },
];
const failing: Migration = {
  version: latest + 2,
  name: "broken",
  sql: "CREATE TABLE half_done (id INTEGER) STRICT; INSERT INTO no_such_table VALUES (1);",
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "photoferry-state-"));
});

afterEach(() => {
  for (const store of opened.splice(0)) store.close();
  rmSync(root, { recursive: true, force: true });
});

describe("StateStore.open", () => {
  it("creates the folder and database and applies every migration on a fresh start", () => {
    const dir = join(root, "nested", "state");
    const store = open(dir);
    expect(store.path).toBe(join(dir, "photoferry.db"));
    expect(store.schemaVersion).toBe(migrations.at(-1)?.version);
    expect(appliedVersions(store)).toEqual(migrations.map((m) => m.version));
    expect(tableNames(store)).toEqual(expect.arrayContaining(["app_meta", "schema_migrations"]));
    const row = store.connection
      .prepare<[], { name: string; applied_at: string }>("SELECT * FROM schema_migrations")
      .get();
    expect(row?.name).toBe("app_meta");
    expect(Number.isNaN(Date.parse(row?.applied_at ?? ""))).toBe(false);
  });

  it("turns on WAL, NORMAL sync, foreign keys and a busy timeout", () => {
    const store = open(root, { busyTimeoutMs: 1234 });
    const pragma = (name: string): unknown => store.connection.pragma(name, { simple: true });
    expect(pragma("journal_mode")).toBe("wal");
    expect(pragma("synchronous")).toBe(2); // FULL
    expect(pragma("foreign_keys")).toBe(1);
    expect(pragma("busy_timeout")).toBe(1234);
    store.close();
    const raw = new Database(join(root, "photoferry.db"));
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    raw.close();
  });

  it("stores an instance id and creation time once, and applies nothing twice on reopen", () => {
    const first = open(root);
    const instanceId = first.getMeta("instance_id");
    const createdAt = first.getMeta("created_at");
    expect(instanceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(createdAt).toBeDefined();
    first.close();

    const second = open(root);
    expect(second.getMeta("instance_id")).toBe(instanceId);
    expect(second.getMeta("created_at")).toBe(createdAt);
    expect(appliedVersions(second)).toEqual(migrations.map((m) => m.version));
    second.close();

    const upgraded = open(root, { migrations: withTable });
    expect(upgraded.schemaVersion).toBe(latest + 1);
    expect(appliedVersions(upgraded)).toEqual([...migrations.map((m) => m.version), latest + 1]);
    expect(upgraded.getMeta("instance_id")).toBe(instanceId);
  });

  it("honours a custom file name", () => {
    const store = open(root, { fileName: "other.db" });
    expect(store.path).toBe(join(root, "other.db"));
  });

  it("refuses a database written by a newer photoferry", () => {
    open(root, { migrations: withTable }).close();
    const error = catchError(() => open(root));
    expect(error).toBeInstanceOf(StateStoreError);
    expect(error).toMatchObject({ reason: "schema-too-new", code: "SCHEMA_TOO_NEW" });
    expect((error as Error).message).toContain(`schema version ${latest + 1}`);
    expect((error as Error).message).toContain(`knows only up to ${latest}`);
    expect((error as Error).message).toContain(join(root, "photoferry.db"));
  });

  it("rejects an invalid migration list before touching the disk", () => {
    const dir = join(root, "never");
    const bad = [...withTable, { version: latest + 1, name: "again", sql: "" }];
    expect(() => open(dir, { migrations: bad })).toThrow(/strictly increase/);
  });
});

describe("failing migrations", () => {
  it("roll back every pending migration and leave the database as it was", () => {
    open(root).close();
    const error = catchError(() => open(root, { migrations: [...withTable, failing] }));
    expect(error).toBeInstanceOf(StateStoreError);
    expect(error).toMatchObject({ reason: "migration-failed", code: "SQLITE_ERROR" });
    expect((error as Error).message).toMatch(
      new RegExp(`Migration ${latest + 2} \\("broken"\\) failed .*no such table`),
    );

    const store = open(root);
    expect(store.schemaVersion).toBe(latest);
    expect(appliedVersions(store)).toEqual(migrations.map((m) => m.version));
    expect(tableNames(store)).not.toContain("thing");
    expect(tableNames(store)).not.toContain("half_done");
  });

  it("on a fresh database leave no schema and no meta behind", () => {
    expect(() => open(root, { migrations: [...withTable, failing] })).toThrow(StateStoreError);
    const raw = new Database(join(root, "photoferry.db"));
    const tables = raw.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all();
    raw.close();
    expect(tables).toEqual([]);
  });
});

describe("unusable state folders and files", () => {
  it("reports a state dir below a regular file (ENOTDIR) with the path and a fix", () => {
    const file = join(root, "a-file");
    writeFileSync(file, "not a folder");
    const dir = join(file, "state");
    const error = catchError(() => open(dir));
    expect(error).toBeInstanceOf(StateStoreError);
    expect(error).toMatchObject({ reason: "unwritable", code: "ENOTDIR", path: dir });
    const message = (error as Error).message;
    expect(message).toContain(dir);
    expect(message).toContain("ENOTDIR");
    expect(message).toContain("set `state.dir`");
  });

  it("reports a state dir that is a regular file (EEXIST)", () => {
    const file = join(root, "a-file");
    writeFileSync(file, "not a folder");
    expect(catchError(() => open(file))).toMatchObject({ reason: "unwritable", code: "EEXIST" });
  });

  it("reports a database file that is not SQLite as corrupt", () => {
    const file = join(root, "photoferry.db");
    writeFileSync(file, "this is no database, just some junk bytes ".repeat(50));
    const error = catchError(() => open(root));
    expect(error).toBeInstanceOf(StateStoreError);
    expect(error).toMatchObject({ reason: "corrupt", code: "SQLITE_NOTADB", path: file });
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toContain("backup");
  });

  describe("on a read-only file system", () => {
    const mountPoint = join(tmpdir(), `photoferry-ro-${process.pid}`);
    let mounted = false;
    try {
      mkdirSync(mountPoint, { recursive: true });
      execFileSync("mount", ["-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", mountPoint], {
        stdio: "ignore",
      });
      mounted = true;
    } catch {
      rmSync(mountPoint, { recursive: true, force: true });
    }

    afterAll(() => {
      if (!mounted) return;
      execFileSync("umount", [mountPoint], { stdio: "ignore" });
      rmSync(mountPoint, { recursive: true, force: true });
      mounted = false;
    });

    it.skipIf(!mounted)("reports EROFS with a plain fix", () => {
      const error = catchError(() => open(mountPoint));
      expect(error).toBeInstanceOf(StateStoreError);
      expect(error).toMatchObject({ reason: "unwritable", code: "EROFS" });
      expect((error as Error).message).toContain("read-only");
    });
  });
});

describe("StateStore API", () => {
  it("reads and overwrites meta values", () => {
    const store = open(root);
    expect(store.getMeta("missing")).toBeUndefined();
    store.setMeta("k", "one");
    store.setMeta("k", "two");
    expect(store.getMeta("k")).toBe("two");
  });

  it("commits a transaction's result and rolls back when it throws", () => {
    const store = open(root);
    const result = store.transaction(() => {
      store.setMeta("a", "1");
      return 42;
    });
    expect(result).toBe(42);
    expect(() =>
      store.transaction(() => {
        store.setMeta("b", "2");
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(store.getMeta("a")).toBe("1");
    expect(store.getMeta("b")).toBeUndefined();
  });

  it("close is idempotent", () => {
    const store = open(root);
    store.close();
    store.close();
    expect(store.isOpen).toBe(false);
  });
});
