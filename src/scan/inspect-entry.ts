import type { ScanDirent, ScanFs, ScanStats } from "./scan-fs.js";
import {
  entryTypeOf,
  errorReason,
  isGone,
  isUndecodable,
  notRegularReason,
  undecodableNameReason,
  type ScanEntryType,
} from "./scan-rules.js";

/** What the `ignore` callback is shown of each entry of a directory that is read. */
export interface ScanEntry {
  /** Below the scan's root, '/'-separated, e.g. `Camera/IMG_0001.jpg`. */
  relativePath: string;
  type: ScanEntryType;
  /** Bytes, for regular files; 0 for directories (not lstat'ed before this question). */
  size: number;
}

/** A regular file in a directory that was (re)read: it may be new or changed. */
export interface ScannedFile {
  /** Absolute. */
  path: string;
  /** Below the scan's root, '/'-separated. */
  relativePath: string;
  size: number;
  /** The same double as node's `fs.stat().mtimeMs`, bit for bit. */
  mtimeMs: number;
  mtimeNs: bigint;
  /** With `dev`, lets a reader check that the file it opened is the one that was scanned. */
  ino: bigint;
  dev: bigint;
}

/** A directory still to visit, lstat'ed before it is read. */
export interface PendingDir {
  path: string;
  relativePath: string;
  stat: ScanStats;
}

export type EntryOutcome =
  | { kind: "file"; file: ScannedFile }
  | { kind: "dir"; name: string; child: PendingDir }
  /** A subdirectory that exists but could not be lstat'ed: listed, so it is retried. */
  | { kind: "dir-error"; name: string; path: string; reason: string }
  | { kind: "ignored" }
  | { kind: "skipped"; path: string; reason: string }
  /** `retry`: the directory must be read again next time for another try. */
  | { kind: "error"; path: string; reason: string; retry: boolean }
  /** Gone since the readdir: its directory's mtime changed, so it is re-read next time. */
  | { kind: "gone" };

export interface InspectContext {
  fs: ScanFs;
  ignore: (entry: ScanEntry) => string | null;
}

export function childPath(dirPath: string, name: string): string {
  return dirPath.endsWith("/") ? `${dirPath}${name}` : `${dirPath}/${name}`;
}

/**
 * Classifies one directory entry, lstat'ing it when needed (regular files for their size and
 * times, directories for their times, entries whose type readdir did not give). Never
 * follows a symbolic link and never opens anything.
 */
export async function inspectEntry(
  dir: Omit<PendingDir, "stat">,
  dirent: ScanDirent,
  context: InspectContext,
): Promise<EntryOutcome> {
  const { name } = dirent;
  const path = childPath(dir.path, name);
  const relativePath = dir.relativePath === "" ? name : `${dir.relativePath}/${name}`;
  const listedAs = entryTypeOf(dirent);

  if (listedAs === "dir") {
    if (context.ignore({ relativePath, type: "dir", size: 0 }) !== null) return { kind: "ignored" };
    let stat: ScanStats;
    try {
      stat = await context.fs.lstat(path);
    } catch (error) {
      if (isGone(error)) return goneOrUndecodable(name, path);
      return { kind: "dir-error", name, path, reason: errorReason(error) };
    }
    // Replaced by something else since the readdir: like a vanished entry.
    if (!stat.isDirectory()) return { kind: "gone" };
    return { kind: "dir", name, child: { path, relativePath, stat } };
  }
  if (listedAs !== null && listedAs !== "file") {
    return notRegular(path, { relativePath, type: listedAs, size: 0 }, context);
  }

  let stat: ScanStats;
  try {
    stat = await context.fs.lstat(path);
  } catch (error) {
    if (isGone(error)) return goneOrUndecodable(name, path);
    return { kind: "error", path, reason: errorReason(error), retry: true };
  }
  const type = entryTypeOf(stat) ?? "other";
  const size = Number(stat.size);
  switch (type) {
    case "dir":
      if (listedAs === "file") return { kind: "gone" };
      if (context.ignore({ relativePath, type, size: 0 }) !== null) return { kind: "ignored" };
      return { kind: "dir", name, child: { path, relativePath, stat } };
    case "file":
      if (context.ignore({ relativePath, type, size }) !== null) return { kind: "ignored" };
      return { kind: "file", file: scannedFile(path, relativePath, stat) };
    default:
      return notRegular(path, { relativePath, type, size }, context);
  }
}

function notRegular(
  path: string,
  entry: ScanEntry & { type: Exclude<ScanEntryType, "file" | "dir"> },
  context: InspectContext,
): EntryOutcome {
  if (context.ignore(entry) !== null) return { kind: "ignored" };
  return { kind: "skipped", path, reason: notRegularReason(entry.type) };
}

function goneOrUndecodable(name: string, path: string): EntryOutcome {
  // Renaming it changes the directory's mtime: no need to retry before that.
  return isUndecodable(name)
    ? { kind: "error", path, reason: undecodableNameReason, retry: false }
    : { kind: "gone" };
}

function scannedFile(path: string, relativePath: string, stat: ScanStats): ScannedFile {
  return {
    path,
    relativePath,
    size: Number(stat.size),
    mtimeMs: msFromNs(stat.mtimeNs),
    mtimeNs: stat.mtimeNs,
    ino: stat.ino,
    dev: stat.dev,
  };
}

/** Node's own formula for `Stats.mtimeMs` (sec * 1e3 + nsec / 1e6), so the doubles match. */
export function msFromNs(ns: bigint): number {
  let sec = ns / 1_000_000_000n;
  let nsec = ns % 1_000_000_000n;
  if (nsec < 0n) {
    nsec += 1_000_000_000n;
    sec -= 1n;
  }
  return Number(sec) * 1e3 + Number(nsec) / 1e6;
}
