import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  currentPlace,
  lockIsHeld,
  lockStateDir,
  lockStateDirWhenFree,
  LOCK_STALE_MS,
  parseLock,
  processStarted,
  StateLockedError,
} from "./state-lock.js";

const hasProc = existsSync("/proc/self/stat");
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "photoferry-lock-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("lockStateDir", () => {
  it("lets one holder in at a time and releases", () => {
    writeFileSync(join(dir, "photoferry.lock"), String(process.ppid)); // a live process
    expect(() => lockStateDir(dir)).toThrow(StateLockedError);
    rmSync(join(dir, "photoferry.lock"));
    const release = lockStateDir(dir);
    expect(existsSync(join(dir, "photoferry.lock"))).toBe(true);
    release();
    expect(existsSync(join(dir, "photoferry.lock"))).toBe(false);
  });

  it("takes over a lock whose process is gone", () => {
    const gone = spawnSync(process.execPath, ["-e", "0"]).pid;
    writeFileSync(join(dir, "photoferry.lock"), String(gone));
    const release = lockStateDir(dir);
    release();
  });

  it.skipIf(!hasProc)(
    "takes over a lock whose pid now belongs to a process started later (a restarted container)",
    () => {
      // Same place, a live pid, but not the process that wrote the lock.
      const place = currentPlace();
      writeFileSync(join(dir, "photoferry.lock"), `${process.ppid}\n${place}\n1\n`);
      lockStateDir(dir)();
      writeFileSync(
        join(dir, "photoferry.lock"),
        `${process.ppid}\n${place}\n${processStarted(process.ppid)}\n`,
      );
      expect(() => lockStateDir(dir)).toThrow(StateLockedError);
    },
  );

  it.skipIf(!hasProc)("reads a process's start time from /proc", () => {
    expect(processStarted("self")).toMatch(/^\d+$/);
    expect(processStarted(process.ppid)).not.toBe(processStarted("self"));
    expect(processStarted(2 ** 22 + 1)).toBe("");
  });

  it("names the process that holds it", () => {
    writeFileSync(join(dir, "photoferry.lock"), String(process.ppid));
    expect(() => lockStateDir(dir)).toThrow(`another photoferry (process ${process.ppid})`);
  });

  it("takes over a lock whose content is not a pid, and leaves no temp files behind", () => {
    const dir = mkdtempSync(join(tmpdir(), "state-lock-garbage-"));
    writeFileSync(join(dir, "photoferry.lock"), "garbage");
    const unlock = lockStateDir(dir);
    expect(parseLock(readFileSync(join(dir, "photoferry.lock"), "utf8"))).toEqual({
      pid: process.pid,
      place: currentPlace(),
      started: processStarted("self"),
    });
    expect(readdirSync(dir)).toEqual(["photoferry.lock"]);
    unlock();
    rmSync(dir, { recursive: true, force: true });
  });

  it("believes a lock from another container or host while its heartbeat is fresh", () => {
    // Another container's service: its pid means nothing here (pid 7 may not exist here).
    writeFileSync(join(dir, "photoferry.lock"), "7\nother-container pid:[4026532999]\n");
    expect(() => lockStateDir(dir)).toThrow("process 7 on other-container");
    const old = new Date(Date.now() - LOCK_STALE_MS - 5_000);
    utimesSync(join(dir, "photoferry.lock"), old, old);
    lockStateDir(dir)();
  });
});

describe("lockStateDirWhenFree", () => {
  const lockFile = () => join(dir, "photoferry.lock");
  const age = (ms: number) => {
    const then = new Date(Date.now() - ms);
    utimesSync(lockFile(), then, then);
  };

  it("waits for a killed container's lock to go stale, then takes it", async () => {
    writeFileSync(lockFile(), "7\nkilled-task pid:[4026532999]\n");
    age(LOCK_STALE_MS - 1_500);
    const waits: string[] = [];
    const started = Date.now();
    const unlock = await lockStateDirWhenFree(dir, {
      onWait: (error) => waits.push(error.holder),
      pollMs: 50,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(waits).toEqual(["process 7 on killed-task"]);
    expect(readFileSync(lockFile(), "utf8")).toContain(`${process.pid}\n`);
    unlock();
  });

  it("gives up on a holder elsewhere whose heartbeat goes on", async () => {
    writeFileSync(lockFile(), "7\nlive-task pid:[4026532999]\n");
    const heartbeat = setInterval(() => age(0), 20);
    try {
      await expect(
        lockStateDirWhenFree(dir, { onWait: () => {}, maxWaitMs: 300, pollMs: 50 }),
      ).rejects.toThrow("process 7 on live-task");
    } finally {
      clearInterval(heartbeat);
    }
  });

  it("does not wait for a live process in its own place", async () => {
    writeFileSync(lockFile(), `${process.ppid}\n${currentPlace()}\n`);
    const onWait = vi.fn();
    await expect(lockStateDirWhenFree(dir, { onWait, pollMs: 50 })).rejects.toThrow(
      StateLockedError,
    );
    expect(onWait).not.toHaveBeenCalled();
  });
});

describe("holding the lock", () => {
  const lockFile = () => join(dir, "photoferry.lock");

  it("notices when another process replaced it, and then leaves that one's lock alone", async () => {
    const lost: string[] = [];
    const unlock = lockStateDir(dir, { onLost: (holder) => lost.push(holder), heartbeatMs: 20 });
    writeFileSync(lockFile(), "7\nother-task pid:[4026532999]\n");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(lost).toEqual(["process 7 on other-task"]);
    unlock();
    expect(readFileSync(lockFile(), "utf8")).toBe("7\nother-task pid:[4026532999]\n");
  });

  it("keeps going when the lock was removed by hand", async () => {
    const lost: string[] = [];
    const unlock = lockStateDir(dir, { onLost: (holder) => lost.push(holder), heartbeatMs: 20 });
    rmSync(lockFile());
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(lost).toEqual([]);
    unlock();
  });
});

describe("lockIsHeld", () => {
  const here = { pid: 100, place: "box pid:[1]", alive: (pid: number) => pid === 42 };

  it("asks the process table in the same place, whatever the age", () => {
    expect(
      lockIsHeld({ pid: 42, place: "box pid:[1]", started: "" }, 10 * LOCK_STALE_MS, here),
    ).toBe(true);
    expect(lockIsHeld({ pid: 43, place: "box pid:[1]", started: "" }, 0, here)).toBe(false);
    expect(lockIsHeld({ pid: 42, place: "", started: "" }, 0, here)).toBe(true);
  });

  it("goes by the heartbeat elsewhere, even when the same pid lives here", () => {
    expect(lockIsHeld({ pid: 43, place: "other pid:[9]", started: "" }, 1_000, here)).toBe(true);
    expect(
      lockIsHeld({ pid: 42, place: "box pid:[2]", started: "" }, LOCK_STALE_MS + 1, here),
    ).toBe(false);
  });

  it("passes the start time on to the process-table check", () => {
    const seen: string[] = [];
    const recording = { ...here, alive: (pid: number, started: string) => !!seen.push(started) };
    lockIsHeld({ pid: 42, place: "box pid:[1]", started: "777" }, 0, recording);
    expect(seen).toEqual(["777"]);
  });

  it("never counts itself or a garbage lock as a holder", () => {
    expect(lockIsHeld({ pid: 100, place: "box pid:[1]", started: "" }, 0, here)).toBe(false);
    expect(lockIsHeld({ pid: 0, place: "", started: "" }, 0, here)).toBe(false);
  });
});
