import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfigText } from "../config/load-config.js";
import { CommandLog } from "../ledger/command-log.js";
import type { JournalEntry } from "../ledger/journal.js";
import { LibraryFiles } from "../ledger/library-files.js";
import type { CommandRunner } from "../runners/runner.js";
import { StateStore } from "../state/state-store.js";
import { journalEntry } from "../test-support/journal-entry.js";
import { hashPath } from "../test-support/transfer-world.js";
import { nodeTransferFs } from "../transfer/transfer-fs.js";
import { CommandQueue } from "./command-queue.js";
import { PhotoPrismImporter, survivesPhotoPrismPathCleaning } from "./photoprism-importer.js";

const dirs: string[] = [];
const stores: StateStore[] = [];
afterEach(() => {
  stores.splice(0).forEach((s) => s.close());
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

const batchId = "photoferry-aaaaaaaaaa-aaaa";

/** A batch folder with a photo and a file PhotoPrism will not take, and a fake PhotoPrism. */
function world(photoprism: (batchDir: string) => string) {
  const root = mkdtempSync(join(tmpdir(), "importer-"));
  dirs.push(root);
  const importDir = join(root, "import");
  const batchDir = join(importDir, batchId);
  mkdirSync(join(batchDir, "alice"), { recursive: true });
  mkdirSync(join(importDir, ".photoferry"), { recursive: true });
  mkdirSync(join(root, "originals"), { recursive: true });
  writeFileSync(join(batchDir, "alice", "a.jpg"), "photo");
  writeFileSync(join(batchDir, "alice", "b.jpg"), "not really a photo");
  const store = StateStore.open(join(root, "state"));
  stores.push(store);
  const library = new LibraryFiles(store.connection);
  for (const name of ["a.jpg", "b.jpg"])
    library.put({
      sha256: name,
      sha1: null,
      origin: "ferried",
      location: join(batchDir, "alice", name),
      name,
      size: 1,
      addedAt: 0,
    });
  const entry = (name: string, id: number): JournalEntry =>
    journalEntry("alice", name, { id, batchId, afterMove: "keep" });

  const config = loadConfigText(
    `photoprism:\n  importDir: ${JSON.stringify(importDir)}\n  trigger: exec\n`,
    { env: { PHOTOFERRY_SECRETS_DIR: "/nonexistent" } },
  ).config!;
  const runner: CommandRunner = {
    description: "fake photoprism",
    run: () =>
      Promise.resolve({
        exitCode: 0,
        stdout: "",
        stderr: photoprism(batchDir),
        durationMs: 1,
        timedOut: false,
      }),
    close: () => Promise.resolve(),
  };
  let onSleep = () => {};
  const importer = new PhotoPrismImporter({
    photoprism: config.photoprism,
    via: "exec",
    runner,
    queue: new CommandQueue({
      retry: { attempts: 1, firstDelayMs: 1, maxDelayMs: 1 },
      logger: pino({ level: "silent" }),
    }),
    log: new CommandLog(store.connection),
    library,
    fs: nodeTransferFs,
    hash: hashPath,
    now: Date.now,
    logger: pino({ level: "silent" }),
    settleMs: 0,
    sleep: () => {
      onSleep();
      return Promise.resolve();
    },
  });
  return {
    importDir,
    batchDir,
    library,
    importer,
    entries: [entry("a.jpg", 1), entry("b.jpg", 2)],
    setOnSleep: (fn: () => void) => (onSleep = fn),
  };
}

const takesOnlyA = (batchDir: string) => {
  renameSync(join(batchDir, "alice", "a.jpg"), join(batchDir, "..", "..", "originals", "a.jpg"));
  return 'time="2024-01-01T00:00:00Z" level=info msg="import: moving main jpg file alice/a.jpg to 2024/01/20240101_000000_AAAAAAAA.jpg"\n';
};

describe("PhotoPrismImporter", () => {
  it("quarantines what PhotoPrism refused once it made progress, and forgets it as library content", async () => {
    const w = world(takesOnlyA);
    const outcome = await w.importer.importBatch(batchId, w.entries, 3);
    expect(outcome).toMatchObject({ status: "imported", quarantined: 1 });
    expect(outcome.importedFiles).toEqual(["2024/01/20240101_000000_AAAAAAAA.jpg"]);
    expect(existsSync(join(w.importDir, ".photoferry/quarantine", batchId, "alice/b.jpg"))).toBe(
      true,
    );
    expect(existsSync(w.batchDir)).toBe(false);
    expect(w.library.findBySha256("b.jpg")).toBeUndefined();
    expect(w.library.findBySha256("a.jpg")).toBeDefined();
  });

  it("never quarantines a batch PhotoPrism took nothing from, however often it is tried", async () => {
    const w = world(() => "");
    const outcome = await w.importer.importBatch(batchId, w.entries, 10);
    expect(outcome.status).toBe("retry");
    expect(outcome.summary).toMatch(/took none of the 2 file/);
    expect(existsSync(join(w.batchDir, "alice", "a.jpg"))).toBe(true);
  });

  it("keeps the batch when PhotoPrism's log shows a problem of the whole import", async () => {
    const w = world(
      () =>
        'time="2024-01-01T00:00:00Z" level=error msg="import: not available in read-only mode"\n',
    );
    const outcome = await w.importer.importBatch(batchId, w.entries, 10);
    expect(outcome.status).toBe("retry");
    expect(outcome.summary).toMatch(/read-only/);
  });

  it("does not quarantine while the batch folder is still changing", async () => {
    const w = world(takesOnlyA);
    w.setOnSleep(() => rmSync(join(w.batchDir, "alice", "b.jpg"))); // PhotoPrism still at work
    const outcome = await w.importer.importBatch(batchId, w.entries, 3);
    expect(outcome.status).toBe("retry");
    expect(outcome.summary).toMatch(/still working/);
  });
});

describe("survivesPhotoPrismPathCleaning", () => {
  it("accepts plain user folders and refuses what PhotoPrism would rewrite", () => {
    for (const ok of ["alice", "my user", "o'brien", "anna@home"])
      expect(survivesPhotoPrismPathCleaning(ok), ok).toBe(true);
    for (const bad of ["john.doe@example.com", "Jr.", " x", "~x", ".x"])
      expect(survivesPhotoPrismPathCleaning(bad), bad).toBe(false);
  });
});
