import { describe, expect, it } from "vitest";
import type { RunCounts, RunSummary } from "../service/service-contract.js";
import { describeRun } from "./run-news.js";

const run = (
  changes: Omit<Partial<RunSummary>, "counts"> & { counts?: Partial<RunCounts> },
): RunSummary => ({
  id: 4,
  trigger: "watch",
  reason: "1 file changed",
  startedAt: "2026-03-04T05:06:00.000Z",
  finishedAt: "2026-03-04T05:06:02.500Z",
  outcome: "ok",
  steps: [],
  errors: [],
  ...changes,
  counts: { seen: 0, moved: 0, duplicates: 0, skipped: 0, failed: 0, bytes: 0, ...changes.counts },
});

describe("describeRun", () => {
  it("tells what moved, what was a duplicate, and how long it took", () => {
    expect(describeRun(run({ counts: { moved: 3, duplicates: 1 } }))).toEqual([
      "→ run #4 (1 file changed): 3 files ferried to PhotoPrism, 1 duplicate archived in 2.5 s",
    ]);
    expect(describeRun(run({ counts: { moved: 1 } }))[0]).toContain("1 file ferried");
  });

  it("stays quiet when nothing happened", () => {
    expect(describeRun(run({ outcome: "nothing-to-do" }))).toEqual([]);
    expect(describeRun(run({ counts: { skipped: 2 } }))).toEqual([]);
  });

  it("shows failures and their errors", () => {
    const lines = describeRun(
      run({ outcome: "failed", counts: { failed: 1 }, errors: ["occ could not be run"] }),
    );
    expect(lines).toEqual([
      "✗ run #4 (1 file changed): 1 failed in 2.5 s",
      "  ✗ occ could not be run",
    ]);
    expect(describeRun(run({ outcome: "interrupted", finishedAt: null }))).toEqual([
      "✗ run #4 (1 file changed): interrupted",
    ]);
  });
});
