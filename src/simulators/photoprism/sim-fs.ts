/**
 * The file-system side of the simulator behind one narrow interface, so tests can inject
 * faults (EXDEV on rename, a failing mkdir) without touching the import logic.
 */
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import * as fsp from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import exifr from "exifr";
import { errorCode } from "../../errno.js";
import { Crc32c } from "./crc32c.js";
import { exifDateToUtc } from "./canonical-name.js";

export interface EntryInfo {
  readonly isDirectory: boolean;
  readonly isFile: boolean;
  readonly size: number;
  readonly mtime: Date;
}

export interface SimFs {
  /** Names in a folder; [] when it cannot be read (godirwalk's SkipNode). */
  list(dir: string): Promise<string[]>;
  /** Follows symlinks like godirwalk's FollowSymbolicLinks; null when absent or unreadable. */
  info(path: string): Promise<EntryInfo | null>;
  /** SHA-1 (lower hex) and CRC-32C (lower hex) in one read. */
  checksums(path: string): Promise<{ sha1: string; crc32c: string }>;
  /** EXIF DateTimeOriginal in UTC, null when the file has none that is readable. */
  exifTakenAt(path: string): Promise<Date | null>;
  mkdirAll(dir: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Copies content to a new file created 0666 & umask, then sets its mtime to `mtime`. */
  copy(from: string, to: string, mtime: Date): Promise<void>;
  remove(path: string): Promise<void>;
  removeEmptyDir(dir: string): Promise<void>;
}

export const nodeSimFs: SimFs = {
  async list(dir) {
    try {
      return await fsp.readdir(dir);
    } catch {
      return [];
    }
  },
  async info(path) {
    try {
      const s = await fsp.stat(path);
      return { isDirectory: s.isDirectory(), isFile: s.isFile(), size: s.size, mtime: s.mtime };
    } catch {
      return null;
    }
  },
  checksums(path) {
    return new Promise((resolve, reject) => {
      const sha1 = createHash("sha1");
      const crc = new Crc32c();
      createReadStream(path)
        .on("data", (chunk) => {
          const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
          sha1.update(bytes);
          crc.update(bytes);
        })
        .on("error", reject)
        .on("end", () => resolve({ sha1: sha1.digest("hex"), crc32c: crc.hex() }));
    });
  },
  async exifTakenAt(path) {
    try {
      const tags = (await exifr.parse(path, {
        pick: ["DateTimeOriginal", "OffsetTimeOriginal"],
        reviveValues: false,
      })) as { DateTimeOriginal?: unknown; OffsetTimeOriginal?: unknown } | undefined;
      const taken = tags?.DateTimeOriginal;
      const offset = tags?.OffsetTimeOriginal;
      if (typeof taken !== "string") return null;
      return exifDateToUtc(taken, typeof offset === "string" ? offset : undefined);
    } catch {
      return null; // not a format exifr reads (video, sidecar), or no/garbled EXIF
    }
  },
  async mkdirAll(dir) {
    await fsp.mkdir(dir, { recursive: true, mode: 0o777 });
  },
  rename: (from, to) => fsp.rename(from, to),
  async copy(from, to, mtime) {
    await pipeline(createReadStream(from), createWriteStream(to, { flags: "wx", mode: 0o666 }));
    await fsp.utimes(to, mtime, mtime);
  },
  remove: (path) => fsp.unlink(path),
  removeEmptyDir: (dir) => fsp.rmdir(dir),
};

/**
 * `MediaFile.Move`: rename, and when that fails (EXDEV across mounts, the usual Docker case)
 * copy and delete the source; the copy keeps the mtime, as PhotoPrism's does.
 */
export async function moveFile(fs: SimFs, from: string, to: string, mtime: Date): Promise<void> {
  try {
    await fs.rename(from, to);
  } catch (error) {
    if (errorCode(error) === "ENOENT") throw error;
    await fs.copy(from, to, mtime);
    await fs.remove(from);
  }
}
