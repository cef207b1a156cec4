import { createHash } from "node:crypto";
import { constants, type Stats } from "node:fs";
import { lstat, open, type FileHandle } from "node:fs/promises";
import {
  FileChangedError,
  NotRegularFileError,
  SymlinkRefusedError,
  nonRegularKind,
  type FileState,
} from "./errors.js";

export interface FileHashes {
  /** Lowercase hex SHA-256 of the bytes read. */
  sha256: string;
  /** Lowercase hex SHA-1 (PhotoPrism's file key); present only when asked for. */
  sha1?: string;
  /** Bytes actually read; equal to the file's size before and after (else FileChangedError). */
  size: number;
  /** The file's mtime (as `fs.Stats#mtimeMs`), unchanged from the first read to the last. */
  mtimeMs: number;
}

export interface HashFileOptions {
  /** Also compute SHA-1 in the same read pass. Off by default. */
  sha1?: boolean;
  signal?: AbortSignal;
  /** Bytes per read; default {@link DEFAULT_READ_SIZE}. */
  highWaterMark?: number;
  /**
   * Called after each chunk with the bytes read so far, and awaited if it returns a promise:
   * progress for large videos (tests also use it to change a file in the middle of a read).
   */
  onProgress?: (bytesRead: number) => void | Promise<void>;
}

/**
 * 1 MiB. Measured with bench/read-strategies.bench.mjs (one thread, page cache): an async read
 * loop with a reused 1 MiB buffer hashes at ~1150 MB/s, 64 KiB chunks only ~650-800 MB/s;
 * a synchronous loop (used by the pool's workers) reaches the raw SHA-256 speed with 256 KiB+.
 */
export const DEFAULT_READ_SIZE = 1024 * 1024;

/**
 * O_NOFOLLOW: a symlink as the last path component fails with ELOOP instead of being followed.
 * O_NONBLOCK: opening a FIFO returns at once (then fstat refuses it) instead of hanging until a
 * writer shows up; it changes nothing for regular files.
 */
export const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * Hashes a regular file in one read pass: SHA-256, and SHA-1 as well when `sha1` is set.
 *
 * Never follows a symlink at `path` itself ({@link SymlinkRefusedError}, code ELOOP); folders
 * on the way are the caller's business (check the path stays under its root). Throws
 * {@link FileChangedError} if the file's size or mtime changed between the first and the last
 * read, or fewer/more bytes than its size could be read. Other errors are Node's own (ENOENT,
 * EACCES, …), or `signal.reason` when aborted.
 */
export async function hashFile(path: string, options: HashFileOptions = {}): Promise<FileHashes> {
  const { signal, onProgress } = options;
  const readSize = checkReadSize(options.highWaterMark);
  signal?.throwIfAborted();
  const handle = await openNoFollow(path);
  try {
    const before = await handle.stat();
    if (!before.isFile()) throw new NotRegularFileError(path, nonRegularKind(before.mode));
    const sha256 = createHash("sha256");
    const sha1 = options.sha1 === true ? createHash("sha1") : undefined;
    // Small files get a small buffer; reading exactly `size` bytes saves the extra read that
    // would only report EOF. Growth shows in the second fstat, shrinking as a short read.
    const buffer = Buffer.allocUnsafe(Math.max(1, Math.min(readSize, before.size)));
    let bytesRead = 0;
    while (bytesRead < before.size) {
      signal?.throwIfAborted();
      const length = Math.min(buffer.length, before.size - bytesRead);
      const { bytesRead: n } = await handle.read(buffer, 0, length, bytesRead);
      if (n === 0) break;
      const chunk = n === buffer.length ? buffer : buffer.subarray(0, n);
      sha256.update(chunk);
      sha1?.update(chunk);
      bytesRead += n;
      if (onProgress) await onProgress(bytesRead);
    }
    signal?.throwIfAborted();
    const after = await handle.stat();
    const start = fileState(before);
    const end = fileState(after);
    if (hasChanged(start, end, bytesRead)) throw new FileChangedError(path, start, end, bytesRead);
    const hashes: FileHashes = {
      sha256: sha256.digest("hex"),
      size: bytesRead,
      mtimeMs: end.mtimeMs,
    };
    if (sha1) hashes.sha1 = sha1.digest("hex");
    return hashes;
  } finally {
    await handle.close();
  }
}

export function hasChanged(before: FileState, after: FileState, bytesRead: number): boolean {
  return (
    before.size !== after.size || before.mtimeMs !== after.mtimeMs || bytesRead !== before.size
  );
}

function fileState(stats: Stats): FileState {
  return { size: stats.size, mtimeMs: stats.mtimeMs };
}

export function checkReadSize(highWaterMark: number | undefined): number {
  const size = highWaterMark ?? DEFAULT_READ_SIZE;
  if (!Number.isSafeInteger(size) || size < 1 || size > 2 ** 30) {
    throw new RangeError(`highWaterMark must be a whole number of bytes from 1 to 1 GiB: ${size}`);
  }
  return size;
}

async function openNoFollow(path: string): Promise<FileHandle> {
  try {
    return await open(path, OPEN_FLAGS);
  } catch (error) {
    // ELOOP is also what a real loop of symlinked folders on the way gives; only blame `path`
    // itself when it is one.
    if ((error as NodeJS.ErrnoException).code === "ELOOP") {
      const stats = await lstat(path).catch(() => undefined);
      if (stats?.isSymbolicLink()) throw new SymlinkRefusedError(path, { cause: error });
    }
    throw error;
  }
}
