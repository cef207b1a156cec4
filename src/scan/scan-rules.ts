import { errnoCode } from "../errno.js";
export { errnoCode } from "../errno.js";
import type { DirRecord } from "./dir-index.js";
import type { ScanDirent } from "./scan-fs.js";

/**
 * A recorded mtime/ctime is trusted only if the directory was read at least this long after
 * it. Kernels stamp times from a coarse clock (one tick is ~4 ms at HZ=250; FAT keeps 2 s,
 * ext3 and HFS+ 1 s), so an entry added in the same tick as the change we saw, but after our
 * readdir, leaves the time as it was: without the margin it would be missed for good.
 */
export const TRUST_MARGIN_MS = 2000;

export type ScanEntryType =
  "file" | "dir" | "symlink" | "fifo" | "socket" | "block" | "char" | "other";

/**
 * `scannedAtMs` of a directory read with errors (an entry that could not be lstat'ed): it is
 * read again next time to retry them, while its subdirectories stay known.
 */
export const NEVER_TRUSTED = 0;

export function isTrusted(record: DirRecord): boolean {
  if (record.scannedAtMs <= NEVER_TRUSTED) return false;
  const changedNs = record.mtimeNs > record.ctimeNs ? record.mtimeNs : record.ctimeNs;
  const changedMs = Number(changedNs / 1_000_000n);
  return record.scannedAtMs - changedMs >= TRUST_MARGIN_MS;
}

/**
 * A directory need not be read when it was read before, its mtime and ctime are what they
 * were then, and they were already old then. A new, removed or renamed entry changes both;
 * a file rewritten in place or a change further down does not (and needs no re-read).
 */
export function canSkipRead(
  record: DirRecord | undefined,
  now: { mtimeNs: bigint; ctimeNs: bigint },
): record is DirRecord {
  return (
    record !== undefined &&
    record.mtimeNs === now.mtimeNs &&
    record.ctimeNs === now.ctimeNs &&
    isTrusted(record)
  );
}

/** The entry's type, or null when the directory entry does not say (DT_UNKNOWN): lstat it. */
export function entryTypeOf(entry: Omit<ScanDirent, "name">): ScanEntryType | null {
  if (entry.isFile()) return "file";
  if (entry.isDirectory()) return "dir";
  if (entry.isSymbolicLink()) return "symlink";
  if (entry.isFIFO()) return "fifo";
  if (entry.isSocket()) return "socket";
  if (entry.isBlockDevice()) return "block";
  if (entry.isCharacterDevice()) return "char";
  return null;
}

/** Why an entry that is neither a regular file nor a directory is passed over. */
export function notRegularReason(type: Exclude<ScanEntryType, "file" | "dir">): string {
  switch (type) {
    case "symlink":
      return "a symbolic link: photoferry never follows links; move the photo itself here";
    case "fifo":
      return "a named pipe, not a regular file";
    case "socket":
      return "a socket, not a regular file";
    case "block":
    case "char":
      return "a device, not a regular file";
    case "other":
      return "not a regular file";
  }
}

const errnoReasons: Record<string, string> = {
  EACCES:
    "permission denied: give photoferry's user read access (Nextcloud's files belong to uid 33)",
  EPERM:
    "permission denied: give photoferry's user read access (Nextcloud's files belong to uid 33)",
  EIO: "input/output error: check the disk or the network mount",
  ENAMETOOLONG: "the path is too long for the system to open: shorten a folder name",
  ELOOP: "too many symbolic links on the way",
};

/** Plain words for a failed readdir/lstat; the scan retries the entry next time. */
export function errorReason(error: unknown): string {
  const code = errnoCode(error);
  const why = errnoReasons[code] ?? (error instanceof Error ? error.message : String(error));
  return `cannot be read (${code}): ${why}; it is tried again on the next scan`;
}

export const undecodableNameReason =
  "the name is not valid UTF-8, so it cannot be opened by name: rename it " +
  "(e.g. `convmv -f latin1 -t utf8`)";

/**
 * Node decodes names as UTF-8 and replaces invalid bytes with U+FFFD; such a name then
 * names no file. A name that really contains U+FFFD is found by lstat and never gets here.
 */
export function isUndecodable(name: string): boolean {
  return name.includes("\uFFFD");
}

/** Entries vanish between readdir and lstat all the time (`.part` files renamed). */
export function isGone(error: unknown): boolean {
  const code = errnoCode(error);
  return code === "ENOENT" || code === "ENOTDIR";
}

/** Sorted by UTF-16 code units: the same order on every machine, whatever the locale. */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
