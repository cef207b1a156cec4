import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { BatchIndexing } from "../ledger/batch-indexing.js";
import { Journal, type NewJournalEntry } from "../ledger/journal.js";
import { RunnerError } from "../runners/runner.js";
import { StateStore } from "../state/state-store.js";
import {
  runIndexingChain,
  type BatchImporter,
  type ChainDeps,
  type NextcloudIndexer,
  type ScanBatch,
} from "./indexing-chain.js";

const dirs: string[] = [];
const stores: StateStore[] = [];
afterEach(() => {
  stores.splice(0).forEach((s) => s.close());
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

const entry = (user: string, below: string, action: "transfer" | "duplicate"): NewJournalEntry => ({
  groupKey: `${user}/${below}`,
  userId: user,
  action,
  sourcePath: `/data/${user}/files/${below}`,
  stagedRelative: `${user}/${below}`,
  method: "rename",
  afterMove: "archive",
  archivePath: null,
  sha256: "x",
  sha1: null,
  size: 1,
  mtimeMs: 0,
});

function world() {
  const dir = mkdtempSync(join(tmpdir(), "chain-"));
  dirs.push(dir);
  const store = StateStore.open(dir);
  stores.push(store);
  const journal = new Journal(store.connection);
  const indexing = new BatchIndexing(store.connection);
  const finishedBatch = (id: string, entries: NewJournalEntry[]) => {
    journal.createBatch(id, entries, 1);
    for (const e of journal.entries(id)) journal.setEntryState(e.id, "done", 2);
    journal.setBatchState(id, "done", 3);
  };
  const calls: string[] = [];
  const importer: BatchImporter & { next: "imported" | "retry" | Error } = {
    next: "imported",
    importBatch(batchId, entries, attempt) {
      calls.push(`import ${batchId} (${entries.length} entries, attempt ${attempt})`);
      if (this.next instanceof Error) return Promise.reject(this.next);
      return Promise.resolve({
        status: this.next,
        importedFiles: this.next === "imported" ? ["2024/06/a.jpg"] : null,
        summary: this.next === "imported" ? "all imported" : "PhotoPrism was busy",
        problems: [],
      });
    },
  };
  const nextcloud: NextcloudIndexer & { down: boolean; failing: Set<string> } = {
    down: false,
    failing: new Set(),
    check() {
      calls.push("status");
      return Promise.resolve(
        this.down
          ? { ok: false as const, problem: "Nextcloud is in maintenance mode", hint: "wait" }
          : { ok: true as const, version: "30.0.4" },
      );
    },
    scan(path) {
      calls.push(`scan ${path}`);
      const ok = !this.failing.has(path);
      return Promise.resolve({ ok, summary: ok ? "0 errors" : "Path not found" });
    },
    indexMemories(user, path) {
      calls.push(`memories ${user} ${path}`);
      return Promise.resolve({ ok: true, summary: "indexed" });
    },
  };
  const planned: ScanBatch[][] = [];
  const deps = (over: Partial<ChainDeps> = {}): ChainDeps => ({
    indexing,
    journal,
    importer,
    nextcloud,
    memories: true,
    planScans: (batches) => {
      planned.push([...batches]);
      const users = [...new Set(batches.flatMap((b) => b.entries.map((e) => e.userId)))];
      return {
        scans: [
          { path: "/admin/files/Library/2024/06", why: "library" },
          ...users.map((u) => ({ path: `/${u}/files/InstantUpload`, why: "source" })),
        ],
        memories: [{ userId: "admin", path: "Library/2024/06" }],
      };
    },
    now: () => 100,
    logger: pino({ level: "silent" }),
    ...over,
  });
  return { journal, indexing, finishedBatch, importer, nextcloud, calls, deps, planned };
}

describe("runIndexingChain", () => {
  it("imports each batch, then scans the library and the users' folders, then Memories", async () => {
    const w = world();
    w.finishedBatch("b1", [
      entry("alice", "a.jpg", "transfer"),
      entry("bob", "b.jpg", "duplicate"),
    ]);
    w.finishedBatch("b2", [entry("my user", "c.jpg", "transfer")]);
    const report = await runIndexingChain(w.deps());
    expect(w.calls).toEqual([
      "import b1 (2 entries, attempt 1)",
      "import b2 (1 entries, attempt 1)",
      "status",
      "scan /admin/files/Library/2024/06",
      "scan /alice/files/InstantUpload",
      "scan /bob/files/InstantUpload",
      "scan /my user/files/InstantUpload",
      "memories admin Library/2024/06",
    ]);
    expect(w.planned[0]!.map((b) => [b.batchId, b.importedFiles])).toEqual([
      ["b1", ["2024/06/a.jpg"]],
      ["b2", ["2024/06/a.jpg"]],
    ]);
    expect(report.errors).toEqual([]);
    expect(report.done).toEqual(["b1", "b2"]);
    expect(w.indexing.pending()).toEqual([]);
  });

  it("does not ask PhotoPrism about a batch of duplicates only, but still scans the users", async () => {
    const w = world();
    w.finishedBatch("b1", [entry("alice", "a.jpg", "duplicate")]);
    await runIndexingChain(w.deps());
    expect(w.calls.filter((c) => c.startsWith("import"))).toEqual([]);
    expect(w.calls).toContain("scan /alice/files/InstantUpload");
    expect(w.planned[0]![0]!.importedFiles).toEqual([]);
  });

  it("keeps a batch PhotoPrism did not import for the next pass, counting attempts", async () => {
    const w = world();
    w.finishedBatch("b1", [entry("alice", "a.jpg", "transfer")]);
    w.importer.next = "retry";
    const first = await runIndexingChain(w.deps());
    expect(first.errors).toEqual(["PhotoPrism was busy"]);
    expect(w.calls).toEqual(["import b1 (1 entries, attempt 1)"]);
    await runIndexingChain(w.deps());
    expect(w.calls.at(-1)).toBe("import b1 (1 entries, attempt 2)");
    w.importer.next = "imported";
    const third = await runIndexingChain(w.deps());
    expect(w.calls).toContain("import b1 (1 entries, attempt 3)");
    expect(third.done).toEqual(["b1"]);
  });

  it("stops importing when PhotoPrism cannot be reached, leaving later batches queued", async () => {
    const w = world();
    w.finishedBatch("b1", [entry("alice", "a.jpg", "transfer")]);
    w.finishedBatch("b2", [entry("alice", "b.jpg", "transfer")]);
    w.importer.next = new RunnerError(
      "daemon-unreachable",
      "PhotoPrism did not answer",
      "start it",
    );
    const report = await runIndexingChain(w.deps());
    expect(w.calls).toEqual(["import b1 (1 entries, attempt 1)"]);
    expect(report.errors[0]).toContain("PhotoPrism did not answer — start it");
    expect(w.indexing.pending().map((b) => [b.batchId, b.state, b.attempts])).toEqual([
      ["b1", "import", 1],
      ["b2", "import", 0],
    ]);
  });

  it("goes on with the next batch when one batch's import fails for its own reasons", async () => {
    const w = world();
    w.finishedBatch("b1", [entry("alice", "a.jpg", "transfer")]);
    w.finishedBatch("b2", [entry("alice", "b.jpg", "transfer")]);
    w.importer.next = new Error("EACCES: permission denied, rename 'quarantine'");
    await runIndexingChain(w.deps());
    expect(w.calls.filter((c) => c.startsWith("import"))).toHaveLength(2);
  });

  it("gives up on scans that keep failing after five passes, with a warning", async () => {
    const w = world();
    w.finishedBatch("b1", [entry("alice", "a.jpg", "transfer")]);
    w.nextcloud.failing.add("/alice/files/InstantUpload");
    for (let pass = 1; pass < 5; pass++) {
      await runIndexingChain(w.deps());
      expect(w.indexing.pending()[0]).toMatchObject({ state: "scan", attempts: pass });
    }
    const last = await runIndexingChain(w.deps());
    expect(w.indexing.pending()).toEqual([]);
    expect(last.warnings.join()).toMatch(/stops retrying/);
  });

  it("with trigger none, scans a batch only once PhotoPrism has emptied its folder", async () => {
    const w = world();
    w.finishedBatch("b1", [entry("alice", "a.jpg", "transfer")]);
    let waiting = true;
    const deps = () =>
      w.deps({ importer: undefined, awaitingPhotoPrism: () => Promise.resolve(waiting) });
    const first = await runIndexingChain(deps());
    expect(first.imports[0]!.summary).toMatch(/waits for PhotoPrism/);
    expect(w.calls).toEqual([]);
    waiting = false;
    const second = await runIndexingChain(deps());
    expect(second.done).toEqual(["b1"]);
    expect(w.planned.at(-1)![0]!.importedFiles).toBeNull();
  });

  it("postpones the scans while Nextcloud is in maintenance mode, then catches up", async () => {
    const w = world();
    w.finishedBatch("b1", [entry("alice", "a.jpg", "transfer")]);
    w.nextcloud.down = true;
    const first = await runIndexingChain(w.deps());
    expect(first.errors[0]).toContain("maintenance mode");
    expect(w.calls).toEqual(["import b1 (1 entries, attempt 1)", "status"]);
    w.nextcloud.down = false;
    const second = await runIndexingChain(w.deps());
    expect(w.calls.filter((c) => c.startsWith("import"))).toHaveLength(1); // not imported twice
    expect(second.done).toEqual(["b1"]);
    expect(w.planned.at(-1)![0]!.importedFiles).toEqual(["2024/06/a.jpg"]); // remembered across runs
  });

  it("repeats the scans next pass when one of them reported a problem", async () => {
    const w = world();
    w.finishedBatch("b1", [entry("alice", "a.jpg", "transfer")]);
    w.nextcloud.failing.add("/alice/files/InstantUpload");
    const report = await runIndexingChain(w.deps());
    expect(report.scans.find((s) => !s.ok)?.summary).toBe("Path not found");
    expect(report.errors).toHaveLength(1);
    expect(w.indexing.pending()[0]).toMatchObject({ state: "scan", attempts: 1 });
    w.nextcloud.failing.clear();
    expect((await runIndexingChain(w.deps())).done).toEqual(["b1"]);
  });

  it("without an importer or occ, batches are done after the transfer", async () => {
    const w = world();
    w.finishedBatch("b1", [entry("alice", "a.jpg", "transfer")]);
    const report = await runIndexingChain(w.deps({ importer: undefined, nextcloud: undefined }));
    expect(w.calls).toEqual([]);
    expect(report.imports[0]!.summary).toContain("on its own");
    expect(report.done).toEqual(["b1"]);
  });

  it("skips Memories when it is turned off", async () => {
    const w = world();
    w.finishedBatch("b1", [entry("alice", "a.jpg", "transfer")]);
    await runIndexingChain(w.deps({ memories: false }));
    expect(w.calls.some((c) => c.startsWith("memories"))).toBe(false);
  });
});
