import { describe, expect, it } from "vitest";
import { judgeSettled } from "./settle.js";

const settleMs = 30_000;
const now = 1_000_000_000_000;

describe("judgeSettled", () => {
  it("waits for a new file in watch mode, even with an old mtime", () => {
    const verdict = judgeSettled(
      undefined,
      { size: 10, mtimeMs: now - 3_600_000 },
      now,
      settleMs,
      "watch",
    );
    expect(verdict).toEqual({
      settled: false,
      observation: { size: 10, mtimeMs: now - 3_600_000, since: now },
      readyAt: now + settleMs,
    });
  });

  it("settles once size and mtime stay the same for settleSeconds", () => {
    const first = judgeSettled(undefined, { size: 10, mtimeMs: now }, now, settleMs, "watch");
    const early = judgeSettled(
      first.observation,
      { size: 10, mtimeMs: now },
      now + settleMs - 1,
      settleMs,
      "watch",
    );
    expect(early.settled).toBe(false);
    const later = judgeSettled(
      first.observation,
      { size: 10, mtimeMs: now },
      now + settleMs,
      settleMs,
      "watch",
    );
    expect(later.settled).toBe(true);
  });

  it("starts over when the file grows or its mtime changes", () => {
    const first = judgeSettled(undefined, { size: 10, mtimeMs: now }, now, settleMs, "watch");
    const grown = judgeSettled(
      first.observation,
      { size: 20, mtimeMs: now },
      now + 40_000,
      settleMs,
      "watch",
    );
    expect(grown).toMatchObject({ settled: false, readyAt: now + 40_000 + settleMs });
    const touched = judgeSettled(
      grown.observation,
      { size: 20, mtimeMs: now + 1 },
      now + 80_000,
      settleMs,
      "watch",
    );
    expect(touched.settled).toBe(false);
  });

  it("in a one-shot pass, counts an mtime older than settleSeconds as settled", () => {
    expect(
      judgeSettled(undefined, { size: 1, mtimeMs: now - settleMs }, now, settleMs, "one-shot")
        .settled,
    ).toBe(true);
    expect(
      judgeSettled(undefined, { size: 1, mtimeMs: now - settleMs + 1 }, now, settleMs, "one-shot")
        .settled,
    ).toBe(false);
  });

  it("never trusts an mtime from the future", () => {
    expect(
      judgeSettled(undefined, { size: 1, mtimeMs: now + 3_600_000 }, now, settleMs, "one-shot")
        .settled,
    ).toBe(false);
  });

  it("settles at once when settleSeconds is 0", () => {
    expect(judgeSettled(undefined, { size: 1, mtimeMs: now }, now, 0, "watch").settled).toBe(true);
  });
});
