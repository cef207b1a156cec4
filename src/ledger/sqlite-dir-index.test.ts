import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MemoryDirIndex, type DirIndex, type DirRecord } from "../scan/dir-index.js";
import { StateStore } from "../state/state-store.js";
import { SqliteDirIndex } from "./sqlite-dir-index.js";

let dir: string;
let store: StateStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "photoferry-dirindex-"));
  store = StateStore.open(dir);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const record = (path: string): DirRecord => ({
  path,
  mtimeNs: 1_700_000_000_123_456_789n,
  ctimeNs: 1_700_000_000_987_654_321n,
  subdirs: ["a b", "ü"],
  scannedAtMs: 42,
});

describe("SqliteDirIndex", () => {
  it("behaves like the in-memory index", () => {
    const paths = ["/r", "/r/a b", "/r/a b/c", "/r/a-b", "/r/ab", "/r2"];
    const indexes: DirIndex[] = [new SqliteDirIndex(store.connection), new MemoryDirIndex()];
    const results = indexes.map((index) => {
      for (const path of paths) index.put(record(path));
      index.removeTree("/r/a b");
      index.removeTree("/r2");
      return paths.filter((path) => index.get(path) !== undefined);
    });
    expect(results[0]).toEqual(["/r", "/r/a-b", "/r/ab"]);
    expect(results[0]).toEqual(results[1]);
  });

  it("keeps nanosecond times exact", () => {
    const index = new SqliteDirIndex(store.connection);
    index.put(record("/x"));
    expect(index.get("/x")).toEqual(record("/x"));
  });
});
