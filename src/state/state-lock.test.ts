import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { lockStateDir, StateLockedError } from "./state-lock.js";

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

  it("names the process that holds it", () => {
    writeFileSync(join(dir, "photoferry.lock"), String(process.ppid));
    expect(() => lockStateDir(dir)).toThrow(`another photoferry (process ${process.ppid})`);
  });

  it("takes over a lock whose content is not a pid, and leaves no temp files behind", () => {
    const dir = mkdtempSync(join(tmpdir(), "state-lock-garbage-"));
    writeFileSync(join(dir, "photoferry.lock"), "garbage");
    const unlock = lockStateDir(dir);
    expect(readFileSync(join(dir, "photoferry.lock"), "utf8")).toBe(String(process.pid));
    expect(readdirSync(dir)).toEqual(["photoferry.lock"]);
    unlock();
    rmSync(dir, { recursive: true, force: true });
  });
});
