import type { Logger } from "pino";
import type { BatchIndexing, BatchIndexingRow } from "../ledger/batch-indexing.js";
import type { Journal, JournalEntry } from "../ledger/journal.js";

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
  /** Absent with `nextcloud.occ.enabled: false`. */
  nextcloud: NextcloudIndexer | undefined;
  memories: boolean;
  planScans: (batches: readonly ScanBatch[]) => ScanPlan;
  now: () => number;
  logger: Logger;
}

export interface ChainReport {
  imports: { batchId: string; status: ImportOutcome["status"] | "failed"; summary: string }[];
  scans: { path: string; why: string; ok: boolean; summary: string }[];
  memories: { userId: string; path: string; ok: boolean; summary: string }[];
  /** Batches fully indexed by this run. */
  done: string[];
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
    errors: [],
    warnings: [],
  };
  const pending = deps.indexing.pending();
  for (const batch of pending.filter((b) => b.state === "import")) {
    const stop = await importOne(deps, batch, report);
    if (stop) break;
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
    // Nothing to verify: PhotoPrism picks the batch up by itself, later.
    indexing.advance(batch.batchId, "scan", { importedFiles: null } satisfies ScanResult, now());
    report.imports.push({
      batchId: batch.batchId,
      status: "imported",
      summary: `${published.length} file(s) left for PhotoPrism to import on its own`,
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
    if (outcome.status === "imported") {
      indexing.advance(
        batch.batchId,
        "scan",
        { importedFiles: outcome.importedFiles } satisfies ScanResult,
        now(),
      );
    } else {
      indexing.fail(batch.batchId, "import", outcome.summary, now());
      report.errors.push(`batch ${batch.batchId}: ${outcome.summary}`);
    }
    return false;
  } catch (error) {
    const message = (error as Error).message;
    indexing.fail(batch.batchId, "import", message, now());
    report.imports.push({ batchId: batch.batchId, status: "failed", summary: message });
    report.errors.push(`PhotoPrism import of batch ${batch.batchId} failed: ${message}`);
    deps.logger.error({ err: error, batch: batch.batchId }, "PhotoPrism import failed");
    return true;
  }
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
  const failAll = (message: string) => {
    for (const batch of batches) indexing.fail(batch.batchId, "scan", message, now());
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
    const check = await nextcloud.check();
    if (!check.ok) return failAll(`Nextcloud scans postponed: ${check.problem} — ${check.hint}`);
    let failed = 0;
    for (const scan of plan.scans) {
      const outcome = await nextcloud.scan(scan.path);
      report.scans.push({ ...scan, ...outcome });
      if (!outcome.ok) failed++;
    }
    if (deps.memories) {
      for (const target of plan.memories) {
        const outcome = await nextcloud.indexMemories(target.userId, target.path);
        report.memories.push({ ...target, ...outcome });
        if (!outcome.ok) failed++;
      }
    }
    if (failed === 0) return finish();
    failAll(`${failed} Nextcloud command(s) reported problems; they run again next pass`);
  } catch (error) {
    deps.logger.error({ err: error }, "Nextcloud scans failed");
    failAll(`Nextcloud scans failed: ${(error as Error).message}`);
  }
}
