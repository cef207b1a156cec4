import { posix } from "node:path";
import type { JournalEntry } from "../ledger/journal.js";
import type { ImportLog, ImportProblemKind } from "./import-log.js";
import { printedNameMatches } from "./printed-names.js";
import { isMainMedia } from "./main-media.js";

/** Problems that stop the whole import, so they explain every file left behind. */
const wholeImport: ReadonlySet<ImportProblemKind> = new Set([
  "busy",
  "read-only",
  "import-path-is-originals",
  "folder-not-found",
  "database",
]);

/**
 * Why a file is still in the batch folder after the import, in words for the `.reason.txt`
 * beside it in quarantine and for the run report.
 */
export function leftoverReason(file: {
  relative: string;
  entry: JournalEntry | null;
  size: number | null;
  log: ImportLog | undefined;
  /** The import went through the API (which answers 200 even when PhotoPrism was busy). */
  api: boolean;
}): string {
  const { relative, entry, size, log } = file;
  const own = log?.problems.find((p) => p.file !== null && printedNameMatches(p.file, relative));
  if (own) return `${own.hint} (PhotoPrism: "${own.message}")`;
  if (!entry) {
    return "PhotoPrism left it in the batch folder, and it is not a file photoferry put there";
  }
  if (size === 0) return "an empty file: PhotoPrism skips files of zero bytes";
  const whole = log?.problems.find((p) => wholeImport.has(p.kind) || p.transient);
  if (whole) return `${whole.hint} (PhotoPrism: "${whole.message}")`;
  if (!isMainMedia(relative)) {
    return (
      "PhotoPrism did not take this sidecar: it imports a sidecar only together with a photo " +
      `or video of the same name (${posix.basename(relative)} has none it recognised)`
    );
  }
  if (!log && file.api) {
    return (
      "PhotoPrism left it in the batch folder: it was busy with another import or indexing " +
      "(it then answers with success and does nothing), or it refused the file; see PhotoPrism's log"
    );
  }
  return "PhotoPrism left it in the batch folder without saying why; see PhotoPrism's log";
}
