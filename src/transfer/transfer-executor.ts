import { posix } from "node:path";
import type { Logger } from "pino";
import type { Journal, JournalEntry, NewJournalEntry } from "../ledger/journal.js";
import type { LibraryFiles } from "../ledger/library-files.js";
import { isPhotoPrismHiddenName } from "../media/name-warnings.js";
import type { SourceFiles, SourceFileStatus } from "../ledger/source-files.js";
import { handleOriginal, type AfterMoveOutcome } from "./after-move.js";
import { NeedsCopy, stageFile, type StageContext } from "./stage-file.js";
import { NotEnoughSpaceError, TransferSkip } from "./transfer-errors.js";
import type { TransferFs } from "./transfer-fs.js";
import {
  archiveTarget,
  containedPath,
  newBatchId,
  publishedBatchDir,
  stagingBatchDir,
  uniqueGroupPaths,
} from "./transfer-paths.js";

export interface TransferSettings {
  importDir: string;
  dataDir: string;
  afterMove: "archive" | "delete" | "keep";
  archiveDir: string;
  files: { uid: number; gid: number; mode: number };
  /** Kept free in the import folder on top of what a batch needs. */
  reserveBytes: number;
}

/** One group of files that travel together, as the planner decided. */
export interface PlannedGroup {
  groupKey: string;
  userId: string;
  action: "transfer" | "duplicate";
  files: {
    sourcePath: string;
    /** Below `<dataDir>/<user>/files`, '/'-separated. */
    pathBelowFiles: string;
    sha256: string;
    sha1: string | null;
    size: number;
    mtimeMs: number;
    dev: string;
  }[];
}

export interface EntryOutcome {
  entry: JournalEntry;
  outcome: AfterMoveOutcome | "failed";
  error?: string;
}

export interface BatchReport {
  batchId: string;
  publishedDir: string | null;
  outcomes: EntryOutcome[];
}

export interface ExecutorDeps {
  fs: TransferFs;
  journal: Journal;
  sourceFiles: SourceFiles;
  library: LibraryFiles;
  /** Runs `fn` in one database transaction. */
  transaction: (fn: () => void) => void;
  hash: (path: string) => Promise<{ sha256: string }>;
  now: () => number;
  logger: Logger;
  settings: TransferSettings;
  importDev: string;
  /** Called once per entry when it is staged (transfers) or handled (duplicates). */
  onEntryDone?: (entry: JournalEntry, totals: { files: number; bytes: number }) => void;
  /**
   * Checked before each file: aborting throws out of `run`/`recover` between files. The
   * journal holds every step already taken, so the next `recover()` goes on from there.
   */
  signal?: AbortSignal;
}

/**
 * Applies a plan: journal every intent, stage each file in a hidden folder, publish the
 * batch with one rename, then handle the originals. Every step is idempotent and checks
 * the disk, so `recover()` after a crash is simply running the unfinished batches again.
 */
export class TransferExecutor {
  constructor(private readonly deps: ExecutorDeps) {}

  async run(groups: readonly PlannedGroup[]): Promise<BatchReport | null> {
    if (groups.length === 0) return null;
    const { deps } = this;
    const entries = groups.flatMap((group) => this.intents(group));
    await this.checkSpace(entries);
    const batchId = newBatchId(deps.now());
    await deps.fs.mkdirp(stagingBatchDir(deps.settings.importDir, batchId));
    deps.journal.createBatch(batchId, entries, deps.now());
    return this.continueBatch(batchId);
  }

  /** Finishes or rolls back every batch a crash interrupted. Run before any new pass. */
  async recover(): Promise<BatchReport[]> {
    const reports: BatchReport[] = [];
    for (const batchId of this.deps.journal.unfinishedBatches()) {
      this.deps.logger.warn({ batchId }, "finishing a transfer batch that was interrupted");
      reports.push(await this.continueBatch(batchId));
    }
    // A crash between creating a staging folder and journaling its batch leaves it empty.
    await this.deps.fs.pruneEmptyDirs(
      posix.dirname(stagingBatchDir(this.deps.settings.importDir, "x")),
      true,
    );
    return reports;
  }

  private intents(group: PlannedGroup): NewJournalEntry[] {
    const { settings, importDev } = this.deps;
    return group.files.map((file) => ({
      groupKey: group.groupKey,
      userId: group.userId,
      action: group.action,
      sourcePath: file.sourcePath,
      stagedRelative: stagedRelativePath(group.userId, file.pathBelowFiles),
      // Renaming takes the original away, so only `delete` on one filesystem may rename.
      method:
        group.action === "duplicate"
          ? "none"
          : settings.afterMove === "delete" && file.dev === importDev
            ? "rename"
            : "copy",
      afterMove: settings.afterMove,
      archivePath: null,
      sha256: file.sha256,
      sha1: file.sha1,
      size: file.size,
      mtimeMs: file.mtimeMs,
    }));
  }

  private async checkSpace(entries: readonly NewJournalEntry[]): Promise<void> {
    const { fs, settings } = this.deps;
    const copied = entries
      .filter((entry) => entry.method === "copy")
      .reduce((sum, e) => sum + e.size, 0);
    if (copied === 0) return;
    const needed = copied + settings.reserveBytes;
    const free = await fs.freeBytes(settings.importDir);
    if (free < needed) throw new NotEnoughSpaceError(settings.importDir, needed, free);
  }

  private async continueBatch(batchId: string): Promise<BatchReport> {
    const { journal, settings } = this.deps;
    const failures = new Map<number, string>();
    const state = journal.batch(batchId)?.state;
    const all = journal.entries(batchId);
    const totals = { files: all.length, bytes: all.reduce((sum, e) => sum + e.size, 0) };
    const entryDone = (entry: JournalEntry) => this.deps.onEntryDone?.(entry, totals);
    if (state === "staging") {
      for (const entry of journal.entries(batchId)) {
        if (entry.state !== "planned" || entry.action !== "transfer") continue;
        this.deps.signal?.throwIfAborted();
        await this.attempt(entry, failures, () => this.stage(batchId, entry), "staged");
        entryDone(entry);
      }
      await this.keepGroupsWhole(batchId);
    }
    if (state === "staging" || state === "publishing") {
      await this.publish(batchId);
    }
    const outcomes: EntryOutcome[] = [];
    const pending = journal
      .entries(batchId)
      .filter(
        (e) => e.state === "published" || (e.action === "duplicate" && e.state === "planned"),
      );
    await this.chooseArchivePaths(pending);
    for (const entry of journal.entries(batchId)) {
      if (entry.state === "failed") {
        outcomes.push({
          entry,
          outcome: "failed",
          error: entry.error ?? failures.get(entry.id) ?? "failed",
        });
        continue;
      }
      if (entry.state === "done" || !(entry.state === "published" || entry.action === "duplicate"))
        continue;
      let outcome: AfterMoveOutcome | undefined;
      this.deps.signal?.throwIfAborted();
      await this.attempt(
        entry,
        failures,
        async () => {
          outcome = await handleOriginal(entry, this.context());
        },
        "done",
      );
      outcomes.push(
        outcome ? { entry, outcome } : { entry, outcome: "failed", error: failures.get(entry.id) },
      );
      if (entry.action === "duplicate") entryDone(entry);
    }
    const finished = journal
      .entries(batchId)
      .every((e) => e.state === "done" || e.state === "failed");
    if (finished) journal.setBatchState(batchId, "done", this.deps.now());
    await this.deps.fs.pruneEmptyDirs(stagingBatchDir(settings.importDir, batchId), false);
    const published = journal
      .entries(batchId)
      .some((e) => e.action === "transfer" && e.state !== "failed");
    return {
      batchId,
      publishedDir: published ? publishedBatchDir(settings.importDir, batchId) : null,
      outcomes,
    };
  }

  /** Runs one step; success moves the entry to `next`, a skip marks it failed (source untouched). */
  private async attempt(
    entry: JournalEntry,
    failures: Map<number, string>,
    step: () => Promise<void>,
    next: "staged" | "done",
  ): Promise<void> {
    const { journal, sourceFiles, now, transaction, logger } = this.deps;
    try {
      await step();
    } catch (error) {
      if (!(error instanceof TransferSkip)) throw error;
      failures.set(entry.id, error.message);
      logger.warn({ path: entry.sourcePath, reason: error.message }, "file not ferried this time");
      // After publishing, the content is safe in the import folder; only the original's
      // handling failed. A retryable failure stays `published` for the next recovery; a
      // permanent one ends with the original left in place, remembered as transferred.
      if (next === "done" && entry.state === "published") {
        if (error.retryable) return;
        transaction(() => {
          journal.setEntryState(entry.id, "done", now(), { error: error.message });
          sourceFiles.setStatus(entry.sourcePath, "transferred", error.message, now());
        });
        return;
      }
      transaction(() => {
        journal.setEntryState(entry.id, "failed", now(), { error: error.message });
        sourceFiles.setStatus(entry.sourcePath, "failed", error.message, now());
      });
      return;
    }
    transaction(() => {
      journal.setEntryState(entry.id, next, now());
      if (next === "done") sourceFiles.setStatus(entry.sourcePath, finalStatus(entry), null, now());
    });
  }

  private async publish(batchId: string): Promise<void> {
    const { fs, journal, library, settings, transaction, now, logger } = this.deps;
    const staging = stagingBatchDir(settings.importDir, batchId);
    const published = publishedBatchDir(settings.importDir, batchId);
    const staged = journal.entries(batchId).filter((entry) => entry.state === "staged");
    if (staged.length > 0) {
      const [stagingStat, publishedStat] = await Promise.all([
        fs.lstat(staging),
        fs.lstat(published),
      ]);
      const wasPublishing = journal.batch(batchId)?.state === "publishing";
      if (stagingStat) {
        // Folders left by files that failed would be published empty.
        await fs.pruneEmptyDirs(staging, true);
        journal.setBatchState(batchId, "publishing", now());
        await fs.renameNoReplace(staging, published);
        await fs.fsyncDir(settings.importDir);
      } else if (!publishedStat) {
        // Both gone. That is PhotoPrism having imported a published batch only if the rename
        // was under way and this is still the import folder photoferry staged in (its hidden
        // `.photoferry` folder is there); an unmounted volume shows an empty folder instead.
        const sameFolder = (await fs.lstat(posix.dirname(staging))) !== null;
        if (!wasPublishing || !sameFolder) {
          throw new Error(
            `batch ${batchId} is missing from ${settings.importDir}: is PhotoPrism's import folder ` +
              "mounted? photoferry will finish the batch once it is back",
          );
        }
        logger.warn(
          { batchId },
          "batch folder already gone from the import folder; assuming it was imported",
        );
      }
    }
    transaction(() => {
      for (const entry of staged) {
        journal.setEntryState(entry.id, "published", now());
        library.put({
          sha256: entry.sha256,
          sha1: entry.sha1,
          origin: "ferried",
          location: containedPath(published, entry.stagedRelative),
          name: posix.basename(entry.sourcePath),
          size: entry.size,
          addedAt: now(),
        });
      }
      journal.setBatchState(batchId, "published", now());
    });
  }

  /** Archive names are chosen per group, so a photo and its sidecars keep matching names. */
  private async chooseArchivePaths(entries: readonly JournalEntry[]): Promise<void> {
    const { fs, journal, settings, now, transaction } = this.deps;
    const groups = new Map<string, JournalEntry[]>();
    for (const entry of entries) {
      if (entry.afterMove !== "archive" || entry.archivePath || entry.method === "rename") continue;
      const key = `${entry.userId}\0${entry.groupKey}\0${posix.dirname(entry.sourcePath)}`;
      groups.set(key, [...(groups.get(key) ?? []), entry]);
    }
    for (const members of groups.values()) {
      const wanted = members.map((entry) => {
        const filesDir = posix.join(settings.dataDir, entry.userId, "files");
        const below = posix.relative(filesDir, entry.sourcePath);
        return archiveTarget(settings.archiveDir, entry.userId, filesDir, below);
      });
      const chosen = await uniqueGroupPaths(
        wanted,
        async (path) => (await fs.lstat(path)) !== null,
      );
      transaction(() => {
        members.forEach((entry, index) => {
          const archivePath = chosen[index]!;
          journal.setEntryState(entry.id, entry.state, now(), { archivePath });
          entry.archivePath = archivePath;
        });
      });
    }
  }

  /**
   * A group travels whole or not at all: when one file of a Live Photo or RAW+JPEG pair
   * failed, its staged siblings are taken back (journaled first, so a crash in between is
   * finished by running this again before publishing).
   */
  private async keepGroupsWhole(batchId: string): Promise<void> {
    const { fs, journal, sourceFiles, transaction, now } = this.deps;
    const entries = journal.entries(batchId).filter((entry) => entry.action === "transfer");
    const groupOf = (entry: JournalEntry) => `${entry.userId}\0${entry.groupKey}`;
    const broken = new Set(entries.filter((e) => e.state === "failed").map(groupOf));
    const reason = "another file of its group could not be ferried; the group is tried again later";
    for (const entry of entries) {
      if (entry.state === "staged" && broken.has(groupOf(entry))) {
        transaction(() => {
          journal.setEntryState(entry.id, "failed", now(), { error: reason });
          sourceFiles.setStatus(entry.sourcePath, "failed", reason, now());
        });
      } else if (entry.state !== "failed") continue;
      const staged = this.stagedPath(batchId, entry);
      if (!(await fs.lstat(staged))) continue;
      if (entry.method === "rename" && !(await fs.lstat(entry.sourcePath))) {
        await fs.renameNoReplace(staged, entry.sourcePath);
      } else {
        await fs.unlink(staged);
      }
    }
  }

  private async stage(batchId: string, entry: JournalEntry): Promise<void> {
    try {
      await stageFile(entry, this.stagedPath(batchId, entry), this.context());
    } catch (error) {
      if (!(error instanceof NeedsCopy)) throw error;
      this.deps.journal.setEntryMethod(entry.id, "copy", this.deps.now());
      entry.method = "copy";
      await stageFile(entry, this.stagedPath(batchId, entry), this.context());
    }
  }

  private stagedPath(batchId: string, entry: JournalEntry): string {
    return containedPath(
      stagingBatchDir(this.deps.settings.importDir, batchId),
      entry.stagedRelative,
    );
  }

  private context(): StageContext {
    return { fs: this.deps.fs, hash: this.deps.hash, attributes: this.deps.settings.files };
  }
}

/**
 * `<user>/<path below files>` inside the batch folder. PhotoPrism skips folders whose names
 * start with `@`, `_.` or `__`, so such a folder (or user id) gets a `pf-` prefix there;
 * file names are not touched (those are quarantined before planning).
 */
export function stagedRelativePath(userId: string, pathBelowFiles: string): string {
  const segments = [userId, ...pathBelowFiles.split("/")];
  return segments
    .map((segment, index) =>
      index < segments.length - 1 && isPhotoPrismHiddenName(segment) ? `pf-${segment}` : segment,
    )
    .join("/");
}

function finalStatus(entry: JournalEntry): SourceFileStatus {
  if (entry.afterMove === "keep") return "kept";
  return entry.action === "duplicate" ? "duplicate" : "transferred";
}
