import { lstatSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { DirRecord } from "./dir-index.js";
import { msFromNs } from "./inspect-entry.js";
import {
  canSkipRead,
  errorReason,
  isTrusted,
  NEVER_TRUSTED,
  TRUST_MARGIN_MS,
} from "./scan-rules.js";

const ms = 1_000_000n;
const at = (mtimeMs: number, ctimeMs: number, scannedAtMs: number): DirRecord => ({
  path: "/r",
  mtimeNs: BigInt(mtimeMs) * ms + 123n,
  ctimeNs: BigInt(ctimeMs) * ms + 456n,
  subdirs: [],
  scannedAtMs,
});

describe("isTrusted", () => {
  const t = 1_700_000_000_000;

  it("trusts a record read at least 2 s after the later of mtime and ctime", () => {
    expect(TRUST_MARGIN_MS).toBe(2000);
    expect(isTrusted(at(t, t, t + 2000))).toBe(true);
    expect(isTrusted(at(t, t, t + 1999))).toBe(false);
    expect(isTrusted(at(t - 5000, t, t + 1999))).toBe(false);
    expect(isTrusted(at(t, t - 5000, t + 1999))).toBe(false);
    expect(isTrusted(at(t - 5000, t - 5000, t))).toBe(true);
  });

  it("never trusts a time in the future or a record read with errors", () => {
    expect(isTrusted(at(t + 60_000, t, t))).toBe(false);
    expect(isTrusted(at(-10_000, -10_000, NEVER_TRUSTED))).toBe(false);
  });
});

describe("canSkipRead", () => {
  const record = at(1000, 1000, 10_000);

  it("skips only when mtime and ctime are both unchanged and trusted", () => {
    expect(canSkipRead(record, record)).toBe(true);
    expect(canSkipRead(record, { ...record, mtimeNs: record.mtimeNs + 1n })).toBe(false);
    expect(canSkipRead(record, { ...record, ctimeNs: record.ctimeNs + 1n })).toBe(false);
    expect(canSkipRead(undefined, record)).toBe(false);
    expect(canSkipRead({ ...record, scannedAtMs: 2000 }, record)).toBe(false);
  });
});

describe("msFromNs", () => {
  it("gives exactly node's Stats.mtimeMs", () => {
    const dir = mkdtempSync(join(tmpdir(), "photoferry-ms-"));
    try {
      for (let i = 0; i < 50; i++) {
        const path = join(dir, `f${i}`);
        writeFileSync(path, "x");
        expect(msFromNs(lstatSync(path, { bigint: true }).mtimeNs)).toBe(lstatSync(path).mtimeMs);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("handles times before 1970 like a timespec (nsec is never negative)", () => {
    expect(msFromNs(-1n)).toBe(-1 * 1e3 + 999_999_999 / 1e6);
    expect(msFromNs(-1_500_000_000n)).toBe(-2 * 1e3 + 500_000_000 / 1e6);
    expect(msFromNs(1_500_000_000n)).toBe(1500);
  });
});

describe("errorReason", () => {
  it("names the code and what to do", () => {
    const error = Object.assign(new Error("x"), { code: "EACCES" });
    expect(errorReason(error)).toMatch(/^cannot be read \(EACCES\): permission denied: .*uid 33/);
    expect(errorReason(new Error("odd"))).toContain("(UNKNOWN): odd");
  });
});
