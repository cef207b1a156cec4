import { randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export class StateLockedError extends Error {
  constructor(
    readonly path: string,
    readonly pid: number,
  ) {
    super(
      `another photoferry (process ${pid}) is already working with ${path} — ` +
        "wait for it to finish, or stop it (a pass and the service must not run at the same time)",
    );
    this.name = "StateLockedError";
  }
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

/**
 * One photoferry at a time per state folder: two passes at once would both plan the same
 * files and send them twice. A lock left by a process that died is taken over.
 */
export function lockStateDir(stateDir: string): () => void {
  mkdirSync(stateDir, { recursive: true });
  const path = join(stateDir, "photoferry.lock");
  // Written whole under a private name, then linked into place: link(2) fails if the lock
  // exists, and a lock that exists always holds its pid (no empty file to misread).
  const temp = join(stateDir, `.photoferry.lock.${process.pid}.${randomBytes(4).toString("hex")}`);
  writeFileSync(temp, String(process.pid), { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(temp, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        const seen = readLock(path);
        if (seen === null) continue; // removed meanwhile
        if (seen > 0 && seen !== process.pid && isAlive(seen))
          throw new StateLockedError(stateDir, seen);
        // Stale: its process is gone. Removed only if it is still that same stale lock.
        if (readLock(path) === seen) unlinkQuietly(path);
        continue;
      }
      return () => unlinkQuietly(path);
    }
    throw new Error(`could not take the lock ${path}`);
  } finally {
    unlinkQuietly(temp);
  }
}

/** The pid in the lock file, or null when there is none. */
function readLock(path: string): number | null {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  const pid = Number.parseInt(text, 10);
  // Unreadable content is treated as a dead holder (never written by this version).
  return Number.isInteger(pid) && pid > 0 ? pid : 0;
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
