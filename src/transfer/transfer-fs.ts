import { constants } from "node:fs";
import * as fs from "node:fs/promises";
import { msFromNs } from "../scan/inspect-entry.js";

export interface EntryStat {
  size: number;
  mtimeMs: number;
  ino: string;
  dev: string;
  kind: "file" | "dir" | "symlink" | "other";
}

/** The file operations a transfer needs; tests inject faults and crashes through it. */
export interface TransferFs {
  /** `lstat`, or null when nothing is there. Never follows a symlink. */
  lstat(path: string): Promise<EntryStat | null>;
  mkdirp(path: string): Promise<void>;
  /** Fails with EEXIST rather than replace anything: photoferry never overwrites. */
  renameNoReplace(from: string, to: string): Promise<void>;
  /** Copies to a new file (never overwriting), then fsyncs it. Reflinks where supported. */
  copyNew(from: string, to: string): Promise<void>;
  fsyncDir(path: string): Promise<void>;
  setAttributes(path: string, attributes: FileAttributes): Promise<void>;
  unlink(path: string): Promise<void>;
  /** Removes empty directories below `path` (and `path` itself unless `keepRoot`); never a file. */
  pruneEmptyDirs(path: string, keepRoot: boolean): Promise<void>;
  freeBytes(path: string): Promise<number>;
  writeNew(path: string, text: string): Promise<void>;
}

export interface FileAttributes {
  uid: number;
  gid: number;
  mode: number;
  mtimeMs: number;
}

const kindOf = (stat: import("node:fs").BigIntStats): EntryStat["kind"] =>
  stat.isFile() ? "file" : stat.isDirectory() ? "dir" : stat.isSymbolicLink() ? "symlink" : "other";

export const nodeTransferFs: TransferFs = {
  async lstat(path) {
    try {
      const stat = await fs.lstat(path, { bigint: true });
      return {
        size: Number(stat.size),
        mtimeMs: msFromNs(stat.mtimeNs),
        ino: stat.ino.toString(),
        dev: stat.dev.toString(),
        kind: kindOf(stat),
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  },
  async mkdirp(path) {
    await fs.mkdir(path, { recursive: true });
  },
  async renameNoReplace(from, to) {
    // rename(2) silently replaces a file (or an empty directory); refuse if anything is there.
    // The check-then-rename gap is closed by photoferry being the only writer of these names.
    if ((await this.lstat(to)) !== null) {
      throw Object.assign(new Error(`refusing to replace ${to}`), { code: "EEXIST" });
    }
    await fs.rename(from, to);
  },
  async copyNew(from, to) {
    await fs.copyFile(from, to, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
    const handle = await fs.open(to, "r+");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  async fsyncDir(path) {
    const handle = await fs.open(path, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  async setAttributes(path, { uid, gid, mode, mtimeMs }) {
    const stat = await fs.lstat(path);
    if (stat.uid !== uid || stat.gid !== gid) await fs.lchown(path, uid, gid);
    await fs.chmod(path, mode);
    const mtime = new Date(mtimeMs);
    await fs.utimes(path, mtime, mtime);
  },
  async unlink(path) {
    await fs.unlink(path);
  },
  async pruneEmptyDirs(path, keepRoot) {
    let entries: import("node:fs").Dirent[];
    try {
      entries = await fs.readdir(path, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
    for (const entry of entries) {
      if (entry.isDirectory()) await this.pruneEmptyDirs(`${path}/${entry.name}`, false);
    }
    if (keepRoot) return;
    try {
      await fs.rmdir(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOTEMPTY" && code !== "EEXIST" && code !== "ENOENT") throw error;
    }
  },
  async freeBytes(path) {
    const stat = await fs.statfs(path);
    return stat.bavail * stat.bsize;
  },
  async writeNew(path, text) {
    await fs.writeFile(path, text, { flag: "wx" });
  },
};
