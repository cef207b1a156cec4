import { posix } from "node:path";
import type { JournalEntry } from "../ledger/journal.js";
import { explainFsError, errorCode, TransferSkip, skipOnRefusal } from "./transfer-errors.js";
import { dirModeFor, type EntryStat, type FileAttributes, type TransferFs } from "./transfer-fs.js";

/** A rename crossed a mount point after all; the journal entry must become a copy. */
export class NeedsCopy extends Error {
  constructor() {
    super("the source and the import folder are on different mounts; copying instead");
    this.name = "NeedsCopy";
  }
}

export interface StageContext {
  fs: TransferFs;
  hash: (path: string) => Promise<{ sha256: string }>;
  attributes: Omit<FileAttributes, "mtimeMs">;
}

/**
 * Where a copy is written before it is verified and renamed into place: beside the target,
 * hidden, and short, so a 255-byte file name does not become too long. Named after the
 * journal entry, so a repeat after a crash finds and removes its own leftover.
 */
export const partialPath = (target: string, entryId: number): string =>
  posix.join(posix.dirname(target), `.pf-partial-${entryId}`);

/** Same size and mtime as when it was hashed: the content is what the journal says. */
export function matchesEntry(
  stat: EntryStat | null,
  entry: Pick<JournalEntry, "size" | "mtimeMs">,
): boolean {
  return (
    stat !== null &&
    stat.kind === "file" &&
    stat.size === entry.size &&
    Math.abs(stat.mtimeMs - entry.mtimeMs) < 0.001
  );
}

/**
 * Puts one file, whole and verified, at `stagedPath`. Idempotent: after a crash at any
 * instant, running it again finishes the job or fails cleanly with the source untouched.
 */
export async function stageFile(
  entry: JournalEntry,
  stagedPath: string,
  context: StageContext,
): Promise<void> {
  const { fs } = context;
  const attributes = { ...context.attributes, mtimeMs: entry.mtimeMs };
  const [source, staged] = await Promise.all([fs.lstat(entry.sourcePath), fs.lstat(stagedPath)]);
  // PhotoPrism's user must be able to move the files out, so the folders are its too,
  // from the batch folder down (the batch folder is published by renaming it).
  const batchDir = stagedPath.slice(0, stagedPath.length - entry.stagedRelative.length - 1);
  await fs.mkdirp(posix.dirname(stagedPath), {
    owner: { uid: attributes.uid, gid: attributes.gid, mode: dirModeFor(attributes.mode) },
    from: batchDir,
  });

  if (entry.method === "rename") {
    if (!(staged && !source)) {
      if (!source)
        throw new TransferSkip(`${entry.sourcePath} vanished before it was moved`, false);
      if (!matchesEntry(source, entry))
        throw new TransferSkip(`${entry.sourcePath} changed since it was hashed`, true);
      try {
        await fs.renameNoReplace(entry.sourcePath, stagedPath);
      } catch (error) {
        // Two bind mounts of one disk share a device number, yet rename(2) refuses to cross them.
        if (errorCode(error) === "EXDEV") throw new NeedsCopy();
        if (!errorCode(error)) throw error;
        throw new TransferSkip(explainFsError(error, stagedPath), true);
      }
    }
    // Owner and mode go on the moved file; if that is refused, it is moved back untouched.
    try {
      await fs.setAttributes(stagedPath, attributes);
    } catch (error) {
      if (!errorCode(error)) throw error;
      await fs.renameNoReplace(stagedPath, entry.sourcePath);
      throw new TransferSkip(explainFsError(error, entry.sourcePath), true);
    }
    await fs.fsyncDir(posix.dirname(stagedPath));
    return;
  }

  if (staged) {
    // A copy finished before a crash: keep it only if it is the right content.
    if ((await context.hash(stagedPath)).sha256 === entry.sha256) {
      await fs.setAttributes(stagedPath, attributes);
      return;
    }
    await fs.unlink(stagedPath);
  }
  const partial = partialPath(stagedPath, entry.id);
  if (await fs.lstat(partial)) await fs.unlink(partial);
  if (!source) throw new TransferSkip(`${entry.sourcePath} vanished before it was copied`, false);
  if (!matchesEntry(source, entry))
    throw new TransferSkip(`${entry.sourcePath} changed since it was hashed`, true);
  try {
    await fs.copyNew(entry.sourcePath, partial);
    const copied = await context.hash(partial);
    const after = await fs.lstat(entry.sourcePath);
    if (copied.sha256 !== entry.sha256 || !matchesEntry(after, entry)) {
      throw new TransferSkip(`${entry.sourcePath} changed while it was being copied`, true);
    }
    await fs.setAttributes(partial, attributes);
  } catch (error) {
    await removeQuietly(fs, partial);
    if (error instanceof TransferSkip) throw error;
    if (!errorCode(error)) throw error; // not a file-system refusal: a bug or a crash
    const where = errorCode(error) === "ENOSPC" ? posix.dirname(stagedPath) : entry.sourcePath;
    throw new TransferSkip(explainFsError(error, where), true);
  }
  // Once renamed, the staged file is whole and verified; an error after this point must not
  // be mistaken for a failed copy.
  await skipOnRefusal(() => fs.renameNoReplace(partial, stagedPath), stagedPath);
  await fs.fsyncDir(posix.dirname(stagedPath));
}

export async function removeQuietly(fs: TransferFs, path: string): Promise<void> {
  try {
    await fs.unlink(path);
  } catch {
    // already gone
  }
}
