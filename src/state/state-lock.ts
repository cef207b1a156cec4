import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
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
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, "wx", 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number.parseInt(readFileSync(path, "utf8"), 10);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new StateLockedError(stateDir, pid);
      }
      unlinkSync(path); // stale: its process is gone
      continue;
    }
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return () => {
      try {
        unlinkSync(path);
      } catch {
        // already gone
      }
    };
  }
  throw new Error(`could not take the lock ${path}`);
}
