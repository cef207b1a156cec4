import { posix } from "node:path";
import type { JournalEntry } from "../ledger/journal.js";
import { publishedBatchDir, stagingFolderName } from "../transfer/transfer-paths.js";
import type { TransferFs } from "../transfer/transfer-fs.js";
import type { ListBatchFiles } from "./batch-listing.js";
import type { ImportLog } from "./import-log.js";
import { leftoverReason } from "./leftover-reasons.js";
import { isMainMedia } from "./main-media.js";
import type { PhotoPrismFile } from "./photoprism-api.js";
import { printedNameMatches } from "./printed-names.js";
import { summarise } from "./verify-summary.js";

/**
 * What became of each file of a batch after PhotoPrism's import, decided from the batch
 * folder and PhotoPrism's index — never from an exit status or an HTTP 200, which PhotoPrism
 * also gives when it was busy and did nothing (shared/reference/photoprism.md §1.3, §3.1).
 */
export type ImportOutcome = "imported" | "imported-unverified" | "duplicate" | "left-behind";

export interface EntryVerdict {
  entry: JournalEntry;
  outcome: ImportOutcome;
  /** Relative to originals: from PhotoPrism's index when `verified`, else from its log. */
  originalsPath: string | null;
  verified: boolean;
  /** Why, in plain words, for every outcome but a plain "imported". */
  reason: string | null;
}

export interface Leftover {
  /** Relative to the batch folder. */
  relative: string;
  /** The journal entry it belongs to; null for a file photoferry did not put there. */
  entry: JournalEntry | null;
  reason: string;
}

export interface ImportVerification {
  batchId: string;
  verdicts: EntryVerdict[];
  leftovers: Leftover[];
  /** Originals folders (relative, e.g. `2024/05`) that received files: for `occ files:scan`. */
  touchedFolders: string[];
  /**
   * Photos or videos were left although PhotoPrism reported nothing that explains it, or it
   * reported a passing problem (busy, another import): run the import again before the
   * leftovers go to quarantine.
   */
  retryAdvised: boolean;
  /** Look-ups that failed: the files they were for are `imported-unverified`. */
  lookupError: string | null;
  summary: string;
}

export interface VerifyImportInput {
  importDir: string;
  batchId: string;
  /** The batch's journal; only published (or done) transfers are in the batch folder. */
  entries: readonly JournalEntry[];
  /** `photoprism import`'s log, when it ran by exec. */
  log?: ImportLog;
  /** SHA-1s PhotoPrism already had before the import (from the planner's look-ups). */
  knownSha1s?: ReadonlySet<string>;
}

export interface VerifyImportDeps {
  fs: Pick<TransferFs, "lstat">;
  listFiles: ListBatchFiles;
  /** PhotoPrism's index, when its API is configured. */
  findBySha1?: (sha1: string) => Promise<Pick<PhotoPrismFile, "name" | "root"> | null>;
}

export async function verifyImport(
  input: VerifyImportInput,
  deps: VerifyImportDeps,
): Promise<ImportVerification> {
  const { importDir, batchId, log } = input;
  const batchDir = publishedBatchDir(importDir, batchId);
  const listed = await deps.listFiles(batchDir);
  if (listed === null && (await deps.fs.lstat(posix.join(importDir, stagingFolderName))) === null) {
    throw new Error(
      `${importDir} no longer holds photoferry's folder: is PhotoPrism's import folder mounted? ` +
        `The import of ${batchId} is checked once it is back`,
    );
  }
  const present = new Set(listed ?? []);
  const entries = input.entries.filter(
    (entry) =>
      entry.action === "transfer" && (entry.state === "published" || entry.state === "done"),
  );
  const byRelative = new Map(entries.map((entry) => [entry.stagedRelative, entry]));

  const leftovers: Leftover[] = [];
  for (const relative of present) {
    const entry = byRelative.get(relative) ?? null;
    const size = (await deps.fs.lstat(posix.join(batchDir, relative)))?.size ?? null;
    const reason = leftoverReason({
      relative,
      entry,
      size,
      log,
      api: deps.findBySha1 !== undefined,
    });
    leftovers.push({ relative, entry, reason });
  }

  const leftoverOf = new Map(leftovers.flatMap((l) => (l.entry ? [[l.entry, l] as const] : [])));
  const verdicts: EntryVerdict[] = [];
  let lookupError: string | null = null;
  for (const entry of entries) {
    const leftover = leftoverOf.get(entry);
    if (leftover) {
      verdicts.push({
        entry,
        outcome: "left-behind",
        originalsPath: null,
        verified: false,
        reason: leftover.reason,
      });
      continue;
    }
    const placed = log?.placements.find((p) => printedNameMatches(p.source, entry.stagedRelative));
    const same = entry.sha1 ? log?.duplicates.find((d) => d.sha1 === entry.sha1) : undefined;
    const logged = placed?.destination ?? same?.existing ?? null;
    const duplicate = isKnownDuplicate(entry, input);
    if (!isMainMedia(entry.stagedRelative) && !duplicate) {
      // PhotoPrism moves sidecars only together with their photo: gone means taken along.
      verdicts.push({
        entry,
        outcome: "imported",
        originalsPath: logged,
        verified: false,
        reason: null,
      });
      continue;
    }
    if (!isMainMedia(entry.stagedRelative) || !entry.sha1 || !deps.findBySha1 || lookupError) {
      verdicts.push(
        unverified(entry, logged, duplicate, lookupError, deps.findBySha1 !== undefined),
      );
      continue;
    }
    let found: Pick<PhotoPrismFile, "name" | "root"> | null;
    try {
      found = await deps.findBySha1(entry.sha1);
    } catch (error) {
      // One failure (PhotoPrism gone, token revoked) would fail every other look-up too.
      lookupError = error instanceof Error ? error.message : String(error);
      verdicts.push(unverified(entry, logged, duplicate, lookupError, true));
      continue;
    }
    const inOriginals = found && (found.root === "/" || found.root === "") ? found.name : null;
    if (inOriginals) {
      verdicts.push({
        entry,
        outcome: duplicate ? "duplicate" : "imported",
        originalsPath: inOriginals,
        verified: true,
        reason: duplicate ? "PhotoPrism already had this content; it keeps the copy it had" : null,
      });
    } else {
      verdicts.push(unverified(entry, logged, duplicate, null, true));
    }
  }

  const touched = new Set<string>();
  for (const placement of log?.placements ?? []) touched.add(posix.dirname(placement.destination));
  for (const verdict of verdicts) {
    if (verdict.originalsPath && verdict.outcome !== "duplicate") {
      touched.add(posix.dirname(verdict.originalsPath));
    }
  }
  touched.delete(".");

  const retryAdvised =
    leftovers.some((l) => isMainMedia(l.relative)) &&
    (log === undefined || log.problems.some((p) => p.transient) || !explainsAll(log, leftovers));
  const result = {
    batchId,
    verdicts,
    leftovers,
    touchedFolders: [...touched].sort(),
    retryAdvised,
    lookupError,
  };
  return { ...result, summary: summarise(result) };
}

function isKnownDuplicate(entry: JournalEntry, input: VerifyImportInput): boolean {
  if (entry.sha1 && input.knownSha1s?.has(entry.sha1)) return true;
  const log = input.log;
  if (!log) return false;
  if (entry.sha1 && log.duplicates.some((d) => d.sha1 === entry.sha1)) return true;
  return log.deletedDuplicates.some((name) => printedNameMatches(name, entry.stagedRelative));
}

function unverified(
  entry: JournalEntry,
  logged: string | null,
  duplicate: boolean,
  lookupError: string | null,
  api: boolean,
): EntryVerdict {
  if (duplicate) {
    const reason = "PhotoPrism already had this content and deleted the copy from the batch folder";
    return { entry, outcome: "duplicate", originalsPath: logged, verified: false, reason };
  }
  const reason = lookupError
    ? `gone from the batch folder; PhotoPrism could not be asked where it went: ${lookupError}`
    : !api
      ? "gone from the batch folder; where it went is not verified (PhotoPrism's API is off)"
      : entry.sha1
        ? "gone from the batch folder, but PhotoPrism's index does not know its content: its " +
          "indexing may have failed, or it matched a photo deleted in PhotoPrism"
        : "gone from the batch folder; not looked up, as its SHA-1 was not computed " +
          "(dedupe.photoprismLookup is off)";
  return { entry, outcome: "imported-unverified", originalsPath: logged, verified: false, reason };
}

/** Every leftover photo has a reason in the log (unsupported, failed, …). */
function explainsAll(log: ImportLog, leftovers: readonly Leftover[]): boolean {
  return leftovers
    .filter((l) => isMainMedia(l.relative))
    .every((l) =>
      log.problems.some((p) => p.file !== null && printedNameMatches(p.file, l.relative)),
    );
}
