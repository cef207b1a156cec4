import { posix } from "node:path";
import { runFailed, type RunResult } from "../cli/commands/run-report.js";
import type { JournalEntry } from "../ledger/journal.js";
import { emptyCounts, type NewActivity } from "../ledger/run-history.js";
import type { EntryOutcome } from "../transfer/transfer-executor.js";
import type { RunCounts, RunOutcome } from "./service-contract.js";

export interface OutcomeContext {
  importDir: string;
  /** When the run ended (ms): the time of its file actions. */
  at: number;
  /** The run was stopped (SIGTERM, stop()) before it finished. */
  interrupted: boolean;
  /** The journal of a batch, for the files an import took. */
  batchEntries: (batchId: string) => JournalEntry[];
  /** Where PhotoPrism filed a content (absolute), when it is known. */
  landedAt: (sha256: string) => string | null;
  /** Batches this run created (a stopped transfer reports none: its files are found here). */
  batchesCreated?: () => string[];
}

export interface RunRecord {
  outcome: RunOutcome;
  counts: RunCounts;
  errors: string[];
  activity: NewActivity[];
}

/** What a run came to, for the history: its outcome, counts, errors and every file action. */
export function recordOfRun(result: RunResult, context: OutcomeContext): RunRecord {
  const counts = emptyCounts();
  const activity: NewActivity[] = [];
  const errors: string[] = [];
  if (result.blocked) errors.push(result.blocked);
  const { pass, indexing } = result;
  if (pass) {
    const reasons = new Map(pass.files.map((file) => [file.path, file.reason]));
    const considered = pass.files.filter((file) => file.action !== "ignore");
    counts.seen = considered.length;
    counts.skipped = considered.filter((f) => f.action === "wait" || f.action === "skip").length;
    const batches = [...pass.recovered, ...(pass.batch ? [pass.batch] : [])];
    // A transfer cut short by a stop reports no batch, yet its finished files must be in
    // the activity log: the journal knows them.
    const reported = new Set(batches.map((b) => b.batchId));
    for (const batchId of context.batchesCreated?.() ?? []) {
      if (reported.has(batchId)) continue;
      const done = context.batchEntries(batchId).filter((e) => e.state === "done");
      batches.push({
        batchId,
        publishedDir: null,
        outcomes: done.map((entry) => ({ entry, outcome: afterMoveOutcomeOf(entry) })),
      });
    }
    for (const batch of batches) {
      for (const outcome of batch.outcomes) {
        const entry = fileAction(
          outcome,
          batch.batchId,
          context,
          reasons.get(outcome.entry.sourcePath),
        );
        activity.push(entry);
        if (entry.action === "failed") {
          counts.failed++;
          errors.push(`${entry.source}: ${entry.reason ?? "failed"}`);
        } else if (entry.action === "duplicate") counts.duplicates++;
        else {
          counts.moved++;
          counts.bytes += entry.size ?? 0;
        }
      }
    }
    for (const file of pass.files.filter((f) => f.action === "quarantine")) {
      counts.failed++;
      activity.push({
        at: context.at,
        userId: file.userId,
        action: "quarantined",
        source: file.path,
        destination: null,
        sha256: null,
        sha1: null,
        size: null,
        reason: file.reason,
      });
    }
    errors.push(...pass.errors);
  }
  if (indexing) {
    for (const item of indexing.imports.filter((i) => i.status === "imported")) {
      for (const entry of context.batchEntries(item.batchId)) {
        if (entry.action !== "transfer" || entry.state !== "done") continue;
        activity.push({
          ...contentOf(entry, context.at),
          action: "imported",
          destination: context.landedAt(entry.sha256),
          reason: item.summary,
        });
      }
    }
    errors.push(...indexing.errors);
  }
  return { outcome: outcomeOf(result, counts, context.interrupted), counts, errors, activity };
}

function fileAction(
  outcome: EntryOutcome,
  batchId: string,
  context: OutcomeContext,
  plannedReason: string | undefined,
): NewActivity {
  const { entry } = outcome;
  const base = contentOf(entry, context.at);
  if (outcome.outcome === "failed")
    return { ...base, action: "failed", destination: null, reason: outcome.error ?? "failed" };
  const original = `original ${outcome.outcome}`;
  const reason = plannedReason ? `${plannedReason}; ${original}` : original;
  if (entry.action === "duplicate")
    return { ...base, action: "duplicate", destination: entry.archivePath, reason };
  return {
    ...base,
    action: "transferred",
    destination: posix.join(context.importDir, batchId, entry.stagedRelative),
    reason,
  };
}

function contentOf(entry: JournalEntry, at: number) {
  return {
    at,
    userId: entry.userId,
    source: entry.sourcePath,
    sha256: entry.sha256,
    sha1: entry.sha1,
    size: entry.size,
  };
}

function outcomeOf(result: RunResult, counts: RunCounts, interrupted: boolean): RunOutcome {
  if (interrupted) return "interrupted";
  if (runFailed(result)) return "failed";
  const chainWorked =
    result.indexing !== null &&
    result.indexing.imports.length +
      result.indexing.scans.length +
      result.indexing.memories.length >
      0;
  return counts.moved + counts.duplicates + counts.failed === 0 && !chainWorked
    ? "nothing-to-do"
    : "ok";
}

/** What a finished entry's afterMove did, as far as the journal tells. */
function afterMoveOutcomeOf(entry: JournalEntry): "archived" | "deleted" | "kept" {
  switch (entry.afterMove) {
    case "archive":
      return "archived";
    case "delete":
      return "deleted";
    case "keep":
      return "kept";
  }
}
