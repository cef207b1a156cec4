import { describe, expect, it } from "vitest";
import { formatBytes, formatDuration, formatRelative, percent, plural } from "./format.js";

describe("format", () => {
  it("writes sizes in decimal units, with one decimal below 100", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(999)).toBe("999 B");
    expect(formatBytes(1500)).toBe("1.5 KB");
    expect(formatBytes(162_000)).toBe("162 KB");
    expect(formatBytes(3_200_000_000)).toBe("3.2 GB");
    expect(formatBytes(null)).toBe("–");
    expect(formatBytes(Number.NaN)).toBe("–");
  });

  it("writes durations a person reads at a glance", () => {
    expect(formatDuration(250)).toBe("250 ms");
    expect(formatDuration(42_000)).toBe("42 s");
    expect(formatDuration(125_000)).toBe("2 min 5 s");
    expect(formatDuration(3_780_000)).toBe("1 h 3 min");
    expect(formatDuration(-5)).toBe("–");
  });

  it("says times near now relative to now", () => {
    const now = Date.parse("2026-11-22T12:00:00Z");
    expect(formatRelative("2026-11-22T11:59:58Z", now)).toBe("just now");
    expect(formatRelative("2026-11-22T12:05:00Z", now)).toBe("in 5 minutes");
    expect(formatRelative("2026-11-22T09:00:00Z", now)).toBe("3 hours ago");
    expect(formatRelative("2026-11-20T12:00:00Z", now)).toBe("2 days ago");
    expect(formatRelative(null, now)).toBe("never");
    expect(formatRelative("not a date", now)).toBe("–");
  });

  it("clamps percentages and pluralises", () => {
    expect(percent(5, 10)).toBe(50);
    expect(percent(11, 10)).toBe(100);
    expect(percent(1, 0)).toBe(0);
    expect(plural(1, "file")).toBe("1 file");
    expect(plural(1200, "photo")).toBe("1,200 photos");
  });
});
