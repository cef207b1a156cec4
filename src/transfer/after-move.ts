import { posix } from "node:path";
import type { JournalEntry } from "../ledger/journal.js";
import { matchesEntry, partialPath, removeQuietly, type StageContext } from "./stage-file.js";
import { errorCode, explainFsError, TransferSkip, skipOnRefusal } from "./transfer-errors.js";

export type AfterMoveOutcome = "archived" | "deleted" | "kept" | "left-changed" | "already-gone";

/**
 * Handles the user's original once its content is safe in the import folder (or known to be
 * in the library). Idempotent like `stageFile`: a repeat after a crash finishes the job.
 * `archivePath` must already be recorded in the journal for `archive`.
 */
export async function handleOriginal(
  entry: JournalEntry,
  context: StageContext,
): Promise<AfterMoveOutcome> {
  const { fs } = context;
  if (entry.afterMove === "keep") return "kept";
  if (entry.method === "rename") return "deleted"; // the move itself took it away
  const source = await fs.lstat(entry.sourcePath);

  if (entry.afterMove === "delete") {
    if (!source) return "already-gone";
    // Someone edited it after we copied it: their newer version is not in the library.
    if (!matchesEntry(source, entry)) return "left-changed";
    await skipOnRefusal(() => fs.unlink(entry.sourcePath), entry.sourcePath);
    await fs.fsyncDir(posix.dirname(entry.sourcePath));
    return "deleted";
  }

  const target = entry.archivePath;
  if (!target) throw new Error(`journal entry ${entry.id} has no archive path`);
  // A cross-filesystem archive copy cut short leaves this inside the user's Nextcloud folder.
  await removeQuietly(fs, partialPath(target, entry.id));
  if (!source) return (await fs.lstat(target)) ? "archived" : "already-gone";
  if (!matchesEntry(source, entry)) return "left-changed";
  if (await fs.lstat(target)) {
    // A cross-filesystem archive copy completed before a crash: finish by removing the source.
    if ((await context.hash(target)).sha256 !== entry.sha256) {
      throw new TransferSkip(
        `${target} already exists with other content; the original was left in place`,
        false,
      );
    }
    await skipOnRefusal(() => fs.unlink(entry.sourcePath), entry.sourcePath);
    return "archived";
  }
  // Folders made in the user's Nextcloud files take the owner of the folder they are made
  // in (the web server's user), or Nextcloud could not manage them.
  await skipOnRefusal(() => fs.mkdirp(posix.dirname(target), { owner: "inherit" }), target);
  try {
    await fs.renameNoReplace(entry.sourcePath, target);
  } catch (error) {
    if (errorCode(error) !== "EXDEV") {
      if (!errorCode(error)) throw error;
      throw new TransferSkip(explainFsError(error, target), true);
    }
    await copyAcross(entry, target, context);
  }
  await fs.fsyncDir(posix.dirname(target));
  return "archived";
}

/** An archive on another filesystem: copy, verify, and only then remove the original. */
async function copyAcross(
  entry: JournalEntry,
  target: string,
  context: StageContext,
): Promise<void> {
  const { fs } = context;
  const partial = partialPath(target, entry.id);
  await removeQuietly(fs, partial);
  try {
    await fs.copyNew(entry.sourcePath, partial);
    if ((await context.hash(partial)).sha256 !== entry.sha256) {
      throw new TransferSkip(`${entry.sourcePath} changed while it was being archived`, true);
    }
    await fs.renameNoReplace(partial, target);
  } catch (error) {
    await removeQuietly(fs, partial);
    if (error instanceof TransferSkip || !errorCode(error)) throw error;
    throw new TransferSkip(explainFsError(error, target), true);
  }
  // The archived copy must be durable before the original goes.
  await fs.fsyncDir(posix.dirname(target));
  await fs.unlink(entry.sourcePath);
}
