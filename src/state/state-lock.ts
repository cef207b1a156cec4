import { randomBytes } from "node:crypto";
import {
  linkSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";

export class StateLockedError extends Error {
  constructor(
    readonly path: string,
    readonly holder: string,
    /** Held by a heartbeat from another container or host: it goes stale if that one died. */
    readonly elsewhere = false,
  ) {
    super(
      `another photoferry (${holder}) is already working with ${path} — ` +
        "wait for it to finish, or stop it (a pass and the service must not run at the same " +
        "time; in Docker, use `docker compose exec photoferry photoferry run --once` rather " +
        "than a second container)",
    );
    this.name = "StateLockedError";
  }
}

/** How often the holder touches the lock, and when a silent lock from elsewhere is stale. */
export const LOCK_HEARTBEAT_MS = 10_000;
export const LOCK_STALE_MS = 60_000;

/** Who holds a lock: a pid is only meaningful inside the same host and pid namespace. */
export interface LockOwner {
  pid: number;
  /** `hostname` + pid namespace; empty for locks written by older versions (pid only). */
  place: string;
  /**
   * The holder's start time (/proc/<pid>/stat, clock ticks after boot); empty when unknown.
   * A restarted container gets a new pid namespace whose inode number is often the freed
   * old one's, and its pids start over: without this, pid 8 of the new container (a
   * health check, say) would pass for the killed holder's pid 8.
   */
  started: string;
}

export const currentPlace = (): string => {
  let namespace = "";
  try {
    namespace = readlinkSync("/proc/self/ns/pid");
  } catch {
    // Not Linux, or /proc hidden: the host name alone has to do.
  }
  return `${hostname()} ${namespace}`.trim();
};

/** A process's start time, field 22 of /proc/<pid>/stat; "" when it cannot be read. */
export function processStarted(pid: number | "self"): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 2, the command name, may hold spaces and parentheses: count after the last ")".
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? "";
  } catch {
    return "";
  }
}

const isAlive = (pid: number, started: string): boolean => {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  if (started === "") return true;
  const now = processStarted(pid);
  return now === "" || now === started;
};

/**
 * Whether a lock still has a live holder. In the same host and pid namespace the pid says
 * so at once (a crashed holder is taken over without waiting). From another container or
 * machine sharing the folder a pid means nothing, so the holder's heartbeat decides.
 */
export function lockIsHeld(
  owner: LockOwner,
  ageMs: number,
  here: { pid: number; place: string; alive: (pid: number, started: string) => boolean },
): boolean {
  if (owner.pid === here.pid && (owner.place === "" || owner.place === here.place)) return false;
  if (owner.pid <= 0) return false;
  if (owner.place === "" || owner.place === here.place) return here.alive(owner.pid, owner.started);
  return ageMs < LOCK_STALE_MS;
}

/**
 * One photoferry at a time per state folder: two passes at once would both plan the same
 * files and send them twice. A lock left by a process that died is taken over.
 */
export function lockStateDir(stateDir: string, options: LockOptions = {}): () => void {
  mkdirSync(stateDir, { recursive: true });
  const path = join(stateDir, "photoferry.lock");
  const place = currentPlace();
  // Written whole under a private name, then linked into place: link(2) fails if the lock
  // exists, and a lock that exists always holds its owner (no empty file to misread).
  const temp = join(stateDir, `.photoferry.lock.${process.pid}.${randomBytes(4).toString("hex")}`);
  const text = `${process.pid}\n${place}\n${processStarted("self")}\n`;
  writeFileSync(temp, text, { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(temp, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        const seen = readLock(path);
        if (seen === null) continue; // removed meanwhile
        const here = { pid: process.pid, place, alive: isAlive };
        if (lockIsHeld(seen.owner, Date.now() - seen.mtimeMs, here)) {
          const elsewhere = seen.owner.place !== "" && seen.owner.place !== place;
          throw new StateLockedError(stateDir, describeOwner(seen.owner), elsewhere);
        }
        // Stale: removed only if it is still that same stale lock.
        if (readLock(path)?.text === seen.text) unlinkQuietly(path);
        continue;
      }
      return holdWithHeartbeat(path, text, options);
    }
    throw new Error(`could not take the lock ${path}`);
  } finally {
    unlinkQuietly(temp);
  }
}

/**
 * lockStateDir for the service: a lock from another container or host is waited for until
 * its heartbeat goes stale. That is the normal case after a container was killed and a new
 * one took its place (a Swarm task, `docker compose up` after a crash): waiting beats a
 * restart loop of "already working" errors. A live holder here, or one elsewhere whose
 * heartbeat goes on past `maxWaitMs`, still throws StateLockedError.
 */
export async function lockStateDirWhenFree(
  stateDir: string,
  options: LockOptions & {
    onWait: (error: StateLockedError) => void;
    maxWaitMs?: number;
    pollMs?: number;
  },
): Promise<() => void> {
  const deadline = Date.now() + (options.maxWaitMs ?? LOCK_STALE_MS + 2 * LOCK_HEARTBEAT_MS);
  for (let waited = false; ; waited = true) {
    try {
      return lockStateDir(stateDir, options);
    } catch (error) {
      if (!(error instanceof StateLockedError) || !error.elsewhere || Date.now() >= deadline)
        throw error;
      if (!waited) options.onWait(error);
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 2_000));
  }
}

export interface LockOptions {
  /**
   * Called once if another process replaced the lock while we held it: two processes
   * that took over the same stale lock at the same instant. The heartbeat notices within
   * LOCK_HEARTBEAT_MS; the caller should stop.
   */
  onLost?: (holder: string) => void;
  /** Tests only: how often the lock is touched and checked. */
  heartbeatMs?: number;
}

function holdWithHeartbeat(path: string, text: string, options: LockOptions): () => void {
  const current = (): string | null => {
    try {
      return readFileSync(path, "utf8");
    } catch {
      return null; // removed by hand: the next start takes a new one
    }
  };
  const heartbeat = setInterval(() => {
    const seen = current();
    if (seen !== null && seen !== text) {
      clearInterval(heartbeat);
      options.onLost?.(describeOwner(parseLock(seen)));
      return;
    }
    const now = new Date();
    try {
      utimesSync(path, now, now);
    } catch {
      // Removed by hand meanwhile.
    }
  }, options.heartbeatMs ?? LOCK_HEARTBEAT_MS);
  heartbeat.unref();
  return (): void => {
    clearInterval(heartbeat);
    // Only our own lock: another holder's must stay.
    if (current() === text) unlinkQuietly(path);
  };
}

function describeOwner(owner: LockOwner): string {
  const [host] = owner.place.split(" ");
  return host ? `process ${owner.pid} on ${host}` : `process ${owner.pid}`;
}

/** The lock's owner and age, or null when there is none. */
function readLock(path: string): { owner: LockOwner; text: string; mtimeMs: number } | null {
  let text: string;
  let mtimeMs: number;
  try {
    text = readFileSync(path, "utf8");
    mtimeMs = statSync(path).mtimeMs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  return { owner: parseLock(text), text, mtimeMs };
}

/** `<pid>\n<host> <pid-namespace>\n<start time>\n`; older versions wrote less. */
export function parseLock(text: string): LockOwner {
  const [pidLine = "", place = "", started = ""] = text.split("\n");
  const pid = Number.parseInt(pidLine, 10);
  // Unreadable content is treated as a dead holder (never written by photoferry).
  return {
    pid: Number.isInteger(pid) && pid > 0 ? pid : 0,
    place: place.trim(),
    started: started.trim(),
  };
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
