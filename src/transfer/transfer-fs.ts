import { constants } from "node:fs";
import * as fs from "node:fs/promises";
import { posix } from "node:path";
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
  /**
   * Creates `path` and its missing parents. With `ownership`, every folder it creates gets
   * that owner and mode ("inherit": those of the nearest existing parent), and so does every
   * existing folder from `ownership.from` down to `path`.
   */
  mkdirp(path: string, ownership?: DirOwnership): Promise<void>;
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

export interface DirOwnership {
  owner: { uid: number; gid: number; mode: number } | "inherit";
  from?: string;
}

/** A folder's mode for files of `fileMode`: searchable wherever readable, writable by its owner. */
export const dirModeFor = (fileMode: number): number =>
  (fileMode & 0o777) | ((fileMode & 0o444) >> 2) | 0o200;

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
  async mkdirp(path, ownership) {
    if (!ownership) {
      await fs.mkdir(path, { recursive: true });
      return;
    }
    // Walk up to the nearest existing folder, then create downwards, owning each one.
    const missing: string[] = [];
    let existing = path;
    while ((await this.lstat(existing)) === null) {
      missing.unshift(existing);
      const parent = posix.dirname(existing);
      if (parent === existing) break;
      existing = parent;
    }
    const owner =
      ownership.owner === "inherit"
        ? await fs
            .stat(existing)
            .then((st) => ({ uid: st.uid, gid: st.gid, mode: st.mode & 0o7777 }))
        : ownership.owner;
    const apply = async (dir: string) => {
      const st = await fs.lstat(dir);
      let mode = owner.mode;
      if (st.uid !== owner.uid || st.gid !== owner.gid) {
        try {
          await fs.lchown(dir, owner.uid, owner.gid);
        } catch (error) {
          // Inheriting, the owner is what matters: a non-root photoferry running as
          // Nextcloud's user with PhotoPrism's group (the compose files: `user: 33:<gid>`)
          // may not hand a folder to group 33, and Nextcloud reaches it as its owner anyway.
          // The group it keeps (PhotoPrism's) gets no access to the user's folder.
          const groupOnly = ownership.owner === "inherit" && st.uid === owner.uid;
          if (!(groupOnly && (error as NodeJS.ErrnoException).code === "EPERM")) throw error;
          mode &= ~0o070;
        }
      }
      if ((st.mode & 0o7777) !== mode) await fs.chmod(dir, mode);
    };
    if (ownership.from !== undefined) {
      const from = posix.normalize(ownership.from);
      for (let dir = existing; dir.startsWith(from); dir = posix.dirname(dir)) {
        await apply(dir);
        if (dir === from) break;
      }
    }
    for (const dir of missing) {
      try {
        await fs.mkdir(dir);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      await apply(dir);
    }
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
