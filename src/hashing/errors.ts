import { constants } from "node:fs";

/** A file's size and modification time, as seen by fstat on the open file. */
export interface FileState {
  size: number;
  /** As `fs.Stats#mtimeMs` (sub-millisecond precision). */
  mtimeMs: number;
}

/**
 * The file was written to, truncated or replaced in place while it was being hashed, so the hash
 * describes no version of it. The caller should wait until the file has settled and hash it again.
 */
export class FileChangedError extends Error {
  override readonly name = "FileChangedError";
  readonly code = "ERR_FILE_CHANGED";

  constructor(
    readonly path: string,
    /** fstat before the first read. */
    readonly before: FileState,
    /** fstat after the last read. */
    readonly after: FileState,
    /** Bytes actually read. */
    readonly bytesRead: number,
  ) {
    super(
      `${path} changed while it was being read (${describeChange(before, after, bytesRead)}); ` +
        "it is probably still being written: hash it again once it has stopped changing",
    );
  }
}

function describeChange(before: FileState, after: FileState, bytesRead: number): string {
  const parts: string[] = [];
  if (before.size !== after.size) parts.push(`size ${before.size} -> ${after.size} bytes`);
  if (bytesRead !== before.size) parts.push(`${bytesRead} of ${before.size} bytes read`);
  if (before.mtimeMs !== after.mtimeMs) {
    parts.push(`modified ${isoTime(before.mtimeMs)} -> ${isoTime(after.mtimeMs)}`);
  }
  return parts.join(", ");
}

function isoTime(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString();
}

/** The path is a symbolic link; photoferry never follows one (PRODUCT.md §4). */
export class SymlinkRefusedError extends Error {
  override readonly name = "SymlinkRefusedError";
  /** What open(2) with O_NOFOLLOW reports for a symlink. */
  readonly code = "ELOOP";

  constructor(
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Refusing to read ${path}: it is a symbolic link, and photoferry never follows symlinks. ` +
        "Put the file itself there (not a link to it) if it should be ferried",
      options,
    );
  }
}

export type NonRegularKind =
  "directory" | "FIFO" | "socket" | "character device" | "block device" | "unknown file type";

/** The path is a directory, FIFO, socket or device, not a regular file. */
export class NotRegularFileError extends Error {
  override readonly name = "NotRegularFileError";
  readonly code = "ERR_NOT_REGULAR_FILE";

  constructor(
    readonly path: string,
    readonly kind: NonRegularKind,
  ) {
    super(`Cannot hash ${path}: it is a ${kind}, not a regular file`);
  }
}

/** Names the kind of file from `fs.Stats#mode` (the S_IFMT bits). */
export function nonRegularKind(mode: number): NonRegularKind {
  switch (mode & constants.S_IFMT) {
    case constants.S_IFDIR:
      return "directory";
    case constants.S_IFIFO:
      return "FIFO";
    case constants.S_IFSOCK:
      return "socket";
    case constants.S_IFCHR:
      return "character device";
    case constants.S_IFBLK:
      return "block device";
    default:
      return "unknown file type";
  }
}

/** `hash()` was called on a pool that is stopping or stopped, or the pool stopped first. */
export class HashPoolStoppedError extends Error {
  override readonly name = "HashPoolStoppedError";
  readonly code = "ERR_HASH_POOL_STOPPED";

  constructor(readonly path: string) {
    super(`${path} was not hashed: the hash pool was stopped (photoferry is shutting down)`);
  }
}

/** The worker thread hashing the file died (crash, out of memory, terminated). */
export class HashWorkerCrashedError extends Error {
  override readonly name = "HashWorkerCrashedError";
  readonly code = "ERR_HASH_WORKER_CRASHED";

  constructor(
    readonly path: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${path} was not hashed: the hash worker thread died (${detail}). ` +
        "It has been replaced; hashing this file again will usually work. " +
        "If it keeps happening, check photoferry's memory limit",
      options,
    );
  }
}
