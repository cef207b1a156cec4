import type { Logger } from "pino";
import type { BatchIndexing, BatchIndexingRow } from "../ledger/batch-indexing.js";
import type { Journal, JournalEntry } from "../ledger/journal.js";
import { describeError } from "./describe-error.js";

/** What importing one batch into PhotoPrism came to, after verification. */
export interface ImportOutcome {
  /** `retry`: nothing was imported (PhotoPrism busy or unreachable); try again next pass. */
  status: "imported" | "retry";
  /** Where the imported files landed, relative to originals; null when unknown. */
  importedFiles: string[] | null;
  /** Plain-words summary, e.g. "12 imported, 1 duplicate, 1 left behind (quarantined)". */
  summary: string;
  /** Problems worth a warning even though the batch moved on. */
  problems: string[];
  /** Files moved to quarantine because PhotoPrism would not take them. */
  quarantined?: number;
}

/** Imports a published batch and verifies where each file went. */
export interface BatchImporter {
  importBatch(batchId: string, entries: JournalEntry[], attempt: number): Promise<ImportOutcome>;
}

export type NextcloudCheck =
  { ok: true; version: string } | { ok: false; problem: string; hint: string };

export interface StepOutcome {
  ok: boolean;
  summary: string;
}

/** occ, as the chain needs it. Each call is one command through the command queue. */
export interface NextcloudIndexer {
  check(): Promise<NextcloudCheck>;
  scan(virtualPath: string): Promise<StepOutcome>;
  indexMemories(userId: string, path: string): Promise<StepOutcome>;
}

export interface ScanPlan {
  /** In order: PhotoPrism's library as Nextcloud shows it, then the users' folders. */
  scans: { path: string; why: string }[];
  memories: { userId: string; path: string }[];
}

export interface ScanBatch {
  batchId: string;
  entries: JournalEntry[];
  /** Relative to originals; null when unknown (then whole library paths are scanned). */
  importedFiles: string[] | null;
}

export interface ChainDeps {
  indexing: BatchIndexing;
  journal: Journal;
  /** Absent with `trigger: none`: PhotoPrism imports on its own. */
  importer: BatchImporter | undefined;
  /** With `trigger: none`: whether the batch folder still holds files PhotoPrism has to take. */
  awaitingPhotoPrism?: (batchId: string) => Promise<boolean>;
  /** Passes with failed scans before a batch is given up as done, with a warning (default 5). */
  maxScanAttempts?: number;
  /**
   * The caller asked `occ status` just before (run --once and the service do, before moving
   * anything): no second check before the scans.
   */
  nextcloudChecked?: boolean;
  /** Absent with `nextcloud.occ.enabled: false`. */
  nextcloud: NextcloudIndexer | undefined;
  memories: boolean;
  planScans: (batches: readonly ScanBatch[]) => ScanPlan;
  now: () => number;
  logger: Logger;
  /** Told how far the import (files), scans and Memories (commands) have come. */
  onProgress?: (progress: ChainProgress) => void;
  /** Stops between batches and between commands; every batch's state is already recorded. */
  signal?: AbortSignal;
}

export interface ChainProgress {
  step: "import" | "scan" | "memories";
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

const stoppedMessage = "the indexing chain was stopped; the next run goes on where it stopped";

export interface ChainReport {
  imports: { batchId: string; status: ImportOutcome["status"] | "failed"; summary: string }[];
  scans: { path: string; why: string; ok: boolean; summary: string }[];
  memories: { userId: string; path: string; ok: boolean; summary: string }[];
  /** Batches fully indexed by this run. */
  done: string[];
  /** Files PhotoPrism would not take, now in quarantine. */
  quarantined: number;
  /** Things that went wrong, in plain words; non-empty means the run failed. */
  errors: string[];
  warnings: string[];
}

interface ScanResult {
  importedFiles: string[] | null;
}

/**
 * PRODUCT §1 steps 6–7 for every batch that needs them: PhotoPrism import (one batch at a
 * time), then Nextcloud's scans of the library, the users' source and archive folders, then
 * Memories. Progress is recorded per batch, so a crash or a failed command only means the
 * next pass picks up where this one stopped; scans are repeatable, imports are verified.
 */
export async function runIndexingChain(deps: ChainDeps): Promise<ChainReport> {
  const report: ChainReport = {
    imports: [],
    scans: [],
    memories: [],
    done: [],
    quarantined: 0,
    errors: [],
    warnings: [],
  };
  const toImport = deps.indexing.pending().filter((b) => b.state === "import");
  const published = toImport.map((b) =>
    deps.journal.entries(b.batchId).filter((e) => e.action === "transfer" && e.state === "done"),
  );
  const importProgress = {
    filesDone: 0,
    filesTotal: published.reduce((sum, entries) => sum + entries.length, 0),
    bytesDone: 0,
    bytesTotal: published.flat().reduce((sum, e) => sum + e.size, 0),
  };
  deps.onProgress?.({ step: "import", ...importProgress });
  for (const [i, batch] of toImport.entries()) {
    if (deps.signal?.aborted) {
      report.errors.push(stoppedMessage);
      return report;
    }
    const stop = await importOne(deps, batch, report);
    importProgress.filesDone += published[i]!.length;
    importProgress.bytesDone += published[i]!.reduce((sum, e) => sum + e.size, 0);
    deps.onProgress?.({ step: "import", ...importProgress });
    if (stop) break;
  }
  if (deps.signal?.aborted) {
    report.errors.push(stoppedMessage);
    return report;
  }
  const toScan = deps.indexing.pending().filter((b) => b.state === "scan");
  if (toScan.length > 0) await scanAll(deps, toScan, report);
  return report;
}

/** Returns true when later batches should wait (PhotoPrism cannot be reached at all). */
async function importOne(
  deps: ChainDeps,
  batch: BatchIndexingRow,
  report: ChainReport,
): Promise<boolean> {
  const { indexing, journal, now } = deps;
  const entries = journal.entries(batch.batchId);
  const published = entries.filter((e) => e.action === "transfer" && e.state === "done");
  if (published.length === 0) {
    indexing.advance(batch.batchId, "scan", { importedFiles: [] } satisfies ScanResult, now());
    return false;
  }
  if (!deps.importer) {
    // PhotoPrism imports by itself, later: scan once the batch folder has been emptied.
    if (await deps.awaitingPhotoPrism?.(batch.batchId)) {
      report.imports.push({
        batchId: batch.batchId,
        status: "retry",
        summary: `batch ${batch.batchId} waits for PhotoPrism to import it on its own`,
      });
      return false;
    }
    indexing.advance(batch.batchId, "scan", { importedFiles: null } satisfies ScanResult, now());
    report.imports.push({
      batchId: batch.batchId,
      status: "imported",
      summary: `batch ${batch.batchId}: PhotoPrism imported it on its own`,
    });
    return false;
  }
  try {
    const attempt = batch.attempts + 1;
    const outcome = await deps.importer.importBatch(batch.batchId, entries, attempt);
    report.imports.push({
      batchId: batch.batchId,
      status: outcome.status,
      summary: outcome.summary,
    });
    report.warnings.push(...outcome.problems);
    report.quarantined += outcome.quarantined ?? 0;
    if (outcome.status === "imported") {
      indexing.advance(
        batch.batchId,
        "scan",
        { importedFiles: outcome.importedFiles } satisfies ScanResult,
        now(),
      );
    } else {
      indexing.fail(batch.batchId, "import", outcome.summary, now());
      report.errors.push(outcome.summary);
    }
    return false;
  } catch (error) {
    const message = describeError(error);
    indexing.fail(batch.batchId, "import", message, now());
    report.imports.push({ batchId: batch.batchId, status: "failed", summary: message });
    report.errors.push(`PhotoPrism import of batch ${batch.batchId} failed: ${message}`);
    deps.logger.error({ err: error, batch: batch.batchId }, "PhotoPrism import failed");
    // PhotoPrism or its runner unreachable, or refusing us: later batches would fare no
    // better. Anything else concerns this batch only.
    return isGlobalFailure(error);
  }
}

function isGlobalFailure(error: unknown): boolean {
  const e = error as { transient?: unknown; kind?: unknown; code?: unknown };
  return (
    e.transient === true ||
    e.kind === "unauthorized" ||
    e.kind === "forbidden" ||
    e.code === "target-missing" ||
    e.code === "target-not-running" ||
    e.code === "auth-failed" ||
    e.code === "host-key-mismatch"
  );
}

async function scanAll(
  deps: ChainDeps,
  batches: BatchIndexingRow[],
  report: ChainReport,
): Promise<void> {
  const { indexing, now } = deps;
  const finish = () => {
    for (const batch of batches) indexing.advance(batch.batchId, "done", undefined, now());
    report.done.push(...batches.map((b) => b.batchId));
  };
  const maxAttempts = deps.maxScanAttempts ?? 5;
  const failAll = (message: string) => {
    for (const batch of batches) {
      if (batch.attempts + 1 >= maxAttempts) {
        // Scans are only about what Nextcloud shows; the photos are safe in PhotoPrism.
        indexing.advance(batch.batchId, "done", undefined, now());
        report.warnings.push(
          `batch ${batch.batchId}: Nextcloud's scans failed ${maxAttempts} passes in a row; ` +
            `photoferry stops retrying them (run occ files:scan by hand once fixed): ${message}`,
        );
      } else indexing.fail(batch.batchId, "scan", message, now());
    }
    report.errors.push(message);
  };
  const nextcloud = deps.nextcloud;
  if (!nextcloud) return finish();
  const plan = deps.planScans(
    batches.map((b) => ({
      batchId: b.batchId,
      entries: deps.journal.entries(b.batchId),
      importedFiles: (b.result as ScanResult | null)?.importedFiles ?? null,
    })),
  );
  if (plan.scans.length === 0 && (!deps.memories || plan.memories.length === 0)) return finish();
  try {
    if (!deps.nextcloudChecked) {
      const check = await nextcloud.check();
      if (!check.ok) return failAll(`Nextcloud scans postponed: ${check.problem} — ${check.hint}`);
    }
    let failed = 0;
    const counted = (step: "scan" | "memories", done: number, total: number) =>
      deps.onProgress?.({ step, filesDone: done, filesTotal: total, bytesDone: 0, bytesTotal: 0 });
    counted("scan", 0, plan.scans.length);
    for (const [i, scan] of plan.scans.entries()) {
      // Left in `scan`: the next run scans again (scans are repeatable).
      if (deps.signal?.aborted) return void report.errors.push(stoppedMessage);
      const outcome = await nextcloud.scan(scan.path);
      report.scans.push({ ...scan, ...outcome });
      if (!outcome.ok) failed++;
      counted("scan", i + 1, plan.scans.length);
    }
    if (deps.memories) {
      counted("memories", 0, plan.memories.length);
      for (const [i, target] of plan.memories.entries()) {
        if (deps.signal?.aborted) return void report.errors.push(stoppedMessage);
        const outcome = await nextcloud.indexMemories(target.userId, target.path);
        report.memories.push({ ...target, ...outcome });
        if (!outcome.ok) failed++;
        counted("memories", i + 1, plan.memories.length);
      }
    }
    if (failed === 0) return finish();
    failAll(`${failed} Nextcloud command(s) reported problems; they run again next pass`);
  } catch (error) {
    deps.logger.error({ err: error }, "Nextcloud scans failed");
    failAll(`Nextcloud scans failed: ${describeError(error)}`);
  }
}
