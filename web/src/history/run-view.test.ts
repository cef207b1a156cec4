import { describe, expect, it } from "vitest";
import type { RunSummary, StepProgress } from "../api/types.js";
import { baseName, elapsedMs, shortHash, stepElapsedMs, withLiveProgress } from "./run-view.js";

const step = (over: Partial<StepProgress> = {}): StepProgress => ({
  name: "transfer",
  state: "running",
  startedAt: "2024-05-01T10:00:00.000Z",
  finishedAt: null,
  filesDone: 0,
  filesTotal: 0,
  bytesDone: 0,
  bytesTotal: 0,
  ...over,
});

const run = (over: Partial<RunSummary> = {}): RunSummary => ({
  id: 7,
  trigger: "manual",
  reason: "web UI",
  startedAt: "2024-05-01T10:00:00.000Z",
  finishedAt: null,
  outcome: null,
  counts: { seen: 1, moved: 0, duplicates: 0, skipped: 0, failed: 0, bytes: 0 },
  steps: [step({ filesDone: 0, filesTotal: 3 })],
  errors: [],
  ...over,
});

describe("withLiveProgress", () => {
  it("takes steps, counts and errors from the live run with the same id", () => {
    const live = run({
      counts: { seen: 3, moved: 2, duplicates: 0, skipped: 0, failed: 0, bytes: 900 },
      steps: [step({ filesDone: 2, filesTotal: 3 })],
      errors: ["one failed"],
    });
    const detail = { ...run(), commands: ["kept"] };
    const merged = withLiveProgress(detail, live);
    expect(merged.counts.moved).toBe(2);
    expect(merged.steps[0]?.filesDone).toBe(2);
    expect(merged.errors).toEqual(["one failed"]);
    expect(merged.commands).toEqual(["kept"]);
  });

  it("ignores another run's progress", () => {
    const detail = run();
    expect(withLiveProgress(detail, run({ id: 8, counts: { ...detail.counts, moved: 5 } }))).toBe(
      detail,
    );
  });

  it("never lets live data overwrite a finished run", () => {
    const finished = run({ outcome: "ok", finishedAt: "2024-05-01T10:01:00.000Z" });
    expect(withLiveProgress(finished, run())).toBe(finished);
  });

  it("keeps the run when nothing is live", () => {
    const detail = run();
    expect(withLiveProgress(detail, null)).toBe(detail);
  });
});

describe("elapsedMs", () => {
  const now = Date.parse("2024-05-01T10:00:30.000Z");

  it("measures a finished span", () => {
    expect(elapsedMs("2024-05-01T10:00:00.000Z", "2024-05-01T10:00:02.500Z", now)).toBe(2500);
  });

  it("counts a running span up to now", () => {
    expect(elapsedMs("2024-05-01T10:00:00.000Z", null, now)).toBe(30_000);
  });

  it("is null when not started, unreadable, or backwards", () => {
    expect(elapsedMs(null, null, now)).toBeNull();
    expect(elapsedMs("yesterday", null, now)).toBeNull();
    expect(elapsedMs("2024-05-01T10:00:10.000Z", "2024-05-01T10:00:00.000Z", now)).toBeNull();
  });

  it("gives no time for steps that never ran", () => {
    expect(stepElapsedMs(step({ state: "pending" }), now)).toBeNull();
    expect(stepElapsedMs(step({ state: "skipped" }), now)).toBeNull();
    expect(stepElapsedMs(step(), now)).toBe(30_000);
  });
});

describe("names and hashes", () => {
  it("shows the file name of a path", () => {
    expect(baseName("/data/anna/files/InstantUpload/IMG_0001.JPG")).toBe("IMG_0001.JPG");
    expect(baseName("IMG.JPG")).toBe("IMG.JPG");
    expect(baseName("/a/dir/")).toBe("dir");
  });

  it("shortens a hash and marks a missing one", () => {
    expect(shortHash("0123456789abcdef0123")).toBe("0123456789ab");
    expect(shortHash(null)).toBe("–");
  });
});
