import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrations } from "../state/migrations.js";
import { StateStore } from "../state/state-store.js";
import { RunQueue } from "./run-queue.js";

let dir: string;
let store: StateStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "photoferry-run-queue-"));
  store = StateStore.open(dir);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const view = (queue: RunQueue) =>
  queue.pending().map((run) => [run.trigger, run.folders, run.reason, run.merged]);

describe("RunQueue", () => {
  it("keeps scheduled runs of different folders apart and merges the same folders", () => {
    const queue = new RunQueue(store.connection);
    expect(queue.add("scheduled", "schedule a for Photos", 1, ["Photos"])).toBe(true);
    expect(queue.add("scheduled", "schedule b for InstantUpload", 2, ["InstantUpload"])).toBe(true);
    expect(queue.add("scheduled", "again", 3, ["Photos"])).toBe(false);
    expect(queue.add("scheduled", "both", 4, ["Photos", "A"])).toBe(true);
    expect(queue.add("scheduled", "both, other order", 5, ["A", "Photos"])).toBe(false);
    expect(queue.add("watch", "1 file changed", 6)).toBe(true);
    expect(view(queue)).toEqual([
      ["scheduled", ["Photos"], "schedule a for Photos", 1],
      ["scheduled", ["InstantUpload"], "schedule b for InstantUpload", 0],
      ["scheduled", ["A", "Photos"], "both", 1],
      ["watch", null, "1 file changed", 0],
    ]);
    expect(queue.take()?.folders).toEqual(["Photos"]);
    expect(queue.length).toBe(3);
  });

  it("lets a manual run absorb the scheduled runs waiting and those asked for after it", () => {
    const queue = new RunQueue(store.connection);
    queue.add("scheduled", "schedule a for Photos", 1, ["Photos"]);
    queue.add("scheduled", "schedule a for Photos", 2, ["Photos"]);
    queue.add("scheduled", "schedule b", 3, ["InstantUpload"]);
    queue.add("watch", "reconcile scan", 4);
    expect(queue.add("manual", "user admin", 5)).toBe(true);
    expect(view(queue)).toEqual([
      ["manual", null, "user admin", 3],
      ["watch", null, "reconcile scan", 0],
    ]);
    expect(queue.add("scheduled", "schedule b", 6, ["InstantUpload"])).toBe(false);
    expect(queue.add("manual", "user bob", 7)).toBe(false);
    expect(view(queue)[0]).toEqual(["manual", null, "user admin", 5]);
  });

  it("keeps runs queued before migration 5 as runs of every folder", () => {
    store.close();
    const path = join(dir, "old.sqlite");
    const db = new Database(path);
    db.exec("CREATE TABLE commands (id INTEGER PRIMARY KEY) STRICT;");
    for (const migration of migrations.filter((m) => m.version === 4)) db.exec(migration.sql);
    db.prepare(
      "INSERT INTO run_queue (trigger, reason, merged, requested_at) VALUES (?, ?, ?, ?)",
    ).run("manual", "asked before the upgrade", 2, 10);
    db.exec(migrations.find((m) => m.version === 5)!.sql);
    expect(view(new RunQueue(db))).toEqual([["manual", null, "asked before the upgrade", 2]]);
    db.close();
    store = StateStore.open(dir);
  });
});
