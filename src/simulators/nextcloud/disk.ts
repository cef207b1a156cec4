import { accessSync, constants, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** What the scanner needs from the disk, so its rules can be tested without one. */
export interface Disk {
  /** Follows symlinks; undefined when the path does not exist (or is a broken link). */
  stat(path: string): DiskStat | undefined;
  /** Entry names; empty when the folder cannot be read (Nextcloud sees it empty too). */
  list(path: string): string[];
  /** PHP's is_dir && is_writable for the calling process. */
  isCreatable(path: string): boolean;
  /** Owner name (or uid) and PHP's decoct(fileperms()), for the "not writable" message. */
  describeOwner(path: string): { owner: string; mode: string };
}

export interface DiskStat {
  dir: boolean;
  size: number;
  /** Whole seconds. */
  mtime: number;
}

export const realDisk: Disk = {
  stat(path) {
    try {
      const stat = statSync(path);
      return { dir: stat.isDirectory(), size: stat.size, mtime: Math.floor(stat.mtimeMs / 1000) };
    } catch {
      return undefined;
    }
  },
  list(path) {
    try {
      return readdirSync(path);
    } catch {
      return [];
    }
  },
  isCreatable(path) {
    try {
      if (!statSync(path).isDirectory()) return false;
      accessSync(path, constants.W_OK);
      return true;
    } catch {
      return false;
    }
  },
  describeOwner(path) {
    const stat = statSync(path);
    return { owner: userName(stat.uid) ?? String(stat.uid), mode: stat.mode.toString(8) };
  },
};

/** posix_getpwuid()['name'], read from /etc/passwd. */
function userName(uid: number): string | undefined {
  try {
    for (const line of readFileSync("/etc/passwd", "utf8").split("\n")) {
      const [name, , id] = line.split(":");
      if (name && id === String(uid)) return name;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** `<datadir>/<uid>/<internal path>` */
export const diskPath = (dataDir: string, uid: string, internal: string): string =>
  internal === "" ? join(dataDir, uid) : join(dataDir, uid, internal);
