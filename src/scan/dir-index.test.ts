import { describe, expect, it } from "vitest";
import { MemoryDirIndex, type DirRecord } from "./dir-index.js";

const record = (path: string, subdirs: string[] = []): DirRecord => ({
  path,
  mtimeNs: 1n,
  ctimeNs: 2n,
  subdirs,
  scannedAtMs: 3,
});

describe("MemoryDirIndex", () => {
  it("puts, replaces and gets records by path", () => {
    const index = new MemoryDirIndex();
    index.put(record("/r"));
    index.put({ ...record("/r", ["a"]), scannedAtMs: 4 });
    expect(index.get("/r")).toEqual({ ...record("/r", ["a"]), scannedAtMs: 4 });
    expect(index.get("/other")).toBeUndefined();
    expect(index.size).toBe(1);
  });

  it("keeps its own copy of the subdirectory list", () => {
    const index = new MemoryDirIndex();
    const subdirs = ["a"];
    index.put(record("/r", subdirs));
    subdirs.push("b");
    expect(index.get("/r")?.subdirs).toEqual(["a"]);
  });

  it("removes a tree: the path and everything below it, not its look-alike siblings", () => {
    const index = new MemoryDirIndex();
    for (const path of ["/r", "/r/a", "/r/a/b", "/r/a/b/c", "/r/ab", "/r/a b", "/r/a-b", "/r/b"]) {
      index.put(record(path));
    }
    index.removeTree("/r/a");
    expect(index.paths()).toEqual(["/r", "/r/a b", "/r/a-b", "/r/ab", "/r/b"]);
    index.removeTree("/r/missing");
    expect(index.size).toBe(5);
    index.removeTree("/r");
    expect(index.size).toBe(0);
  });

  it("removes everything below the file system root", () => {
    const index = new MemoryDirIndex();
    index.put(record("/"));
    index.put(record("/a"));
    index.removeTree("/");
    expect(index.size).toBe(0);
  });
});
