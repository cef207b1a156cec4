import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StateStore } from "../state/state-store.js";
import { Journal, type NewJournalEntry } from "./journal.js";
import { KnownUsers } from "./known-users.js";
import { LibraryFiles } from "./library-files.js";
import { isUnchanged, SourceFiles, type SourceFile } from "./source-files.js";

let dir: string;
let store: StateStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "photoferry-ledger-"));
  store = StateStore.open(dir);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const file = (overrides: Partial<SourceFile> = {}): SourceFile => ({
  path: "/nc/anna maria/files/InstantUpload/IMG_1.jpg",
  userId: "anna maria",
  size: 1234,
  mtimeMs: 1_700_000_000_123.456,
  mtimeNs: "1700000000123456789",
  ino: "18446744073709551615",
  dev: "2049",
  settleSince: 1,
  sha256: null,
  sha1: null,
  status: "pending",
  reason: null,
  updatedAt: 1,
  ...overrides,
});

describe("SourceFiles", () => {
  it("round-trips a file, keeping 64-bit inodes and nanosecond mtimes exact", () => {
    const files = new SourceFiles(store.connection);
    files.put(file());
    expect(files.get(file().path)).toEqual(file());
    files.put(file({ sha256: "ab", status: "transferred" }));
    expect(files.get(file().path)?.status).toBe("transferred");
    expect(files.pending()).toEqual([]);
  });

  it("tells an unchanged file by size, mtime and inode", () => {
    expect(isUnchanged(file(), file())).toBe(true);
    expect(isUnchanged(file(), file({ size: 1 }))).toBe(false);
    expect(isUnchanged(file(), file({ mtimeNs: "1700000000123456790" }))).toBe(false);
    expect(isUnchanged(file(), file({ ino: "1" }))).toBe(false);
  });

  it("lists pending files and updates a status", () => {
    const files = new SourceFiles(store.connection);
    files.put(file());
    files.put(file({ path: "/x/b.jpg" }));
    files.setStatus("/x/b.jpg", "quarantined", "name has a newline", 5);
    expect(files.pending().map((f) => f.path)).toEqual([file().path]);
    expect(files.get("/x/b.jpg")).toMatchObject({
      status: "quarantined",
      reason: "name has a newline",
    });
  });
});

describe("LibraryFiles", () => {
  it("finds content by hash and by name and size", () => {
    const library = new LibraryFiles(store.connection);
    library.put({
      sha256: "s",
      sha1: "h",
      origin: "ferried",
      location: "/i/b/x.jpg",
      name: "x.jpg",
      size: 5,
      addedAt: 1,
    });
    expect(library.findBySha256("s")?.location).toBe("/i/b/x.jpg");
    expect(library.findBySha256("t")).toBeUndefined();
    expect(library.findByNameAndSize("x.jpg", 5)?.sha256).toBe("s");
    library.remove("ferried", "/i/b/x.jpg");
    expect(library.findBySha256("s")).toBeUndefined();
  });
});

describe("KnownUsers", () => {
  it("remembers that discovery ran even when it found nobody", () => {
    const users = new KnownUsers(store.connection);
    expect(users.hasDiscovered()).toBe(false);
    users.add([], 1);
    expect(users.hasDiscovered()).toBe(true);
    users.add(["o'brien", "jürgen"], 2);
    users.add(["o'brien"], 3);
    expect([...users.all()].sort()).toEqual(["jürgen", "o'brien"]);
  });
});

describe("Journal", () => {
  const entry = (source: string): NewJournalEntry => ({
    groupKey: "g1",
    userId: "anna",
    action: "transfer",
    sourcePath: source,
    stagedRelative: "anna/InstantUpload/x.jpg",
    method: "rename",
    afterMove: "delete",
    archivePath: null,
    sha256: "s",
    sha1: null,
    size: 1,
    mtimeMs: 1,
  });

  it("records a batch with its intents and tracks what is in flight", () => {
    const journal = new Journal(store.connection);
    journal.createBatch("b1", [entry("/a"), entry("/b")], 10);
    expect(journal.unfinishedBatches()).toEqual(["b1"]);
    expect(journal.sourcesInFlight()).toEqual(new Set(["/a", "/b"]));
    const [first, second] = journal.entries("b1");
    journal.setEntryState(first!.id, "done", 11);
    journal.setEntryState(second!.id, "failed", 11, { error: "vanished" });
    expect(journal.sourcesInFlight()).toEqual(new Set());
    expect(journal.entries("b1").map((e) => [e.state, e.error])).toEqual([
      ["done", null],
      ["failed", "vanished"],
    ]);
    journal.setBatchState("b1", "done", 12);
    expect(journal.unfinishedBatches()).toEqual([]);
  });

  it("writes a batch and its entries all or nothing", () => {
    const journal = new Journal(store.connection);
    const broken = { ...entry("/c"), afterMove: undefined } as unknown as NewJournalEntry;
    expect(() => journal.createBatch("b2", [entry("/a"), broken], 1)).toThrow();
    expect(journal.batch("b2")).toBeUndefined();
    expect(journal.entries("b2")).toEqual([]);
  });
});
