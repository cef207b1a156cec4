import { describe, expect, it } from "vitest";
import type { StatusSnapshot } from "../service/service-contract.js";
import {
  formatBytes,
  MAX_LISTED_ERRORS,
  notificationForRun,
  notificationForState,
  runFileFacts,
} from "./event-rules.js";
import { finishedRun } from "./test-support/notify-fixtures.js";

const counts = (moved: number, failed = 0, duplicates = 0) => ({
  seen: moved + failed + duplicates,
  moved,
  duplicates,
  skipped: 0,
  failed,
  bytes: moved * 3_000_000,
});

describe("notificationForRun", () => {
  it("one success summary naming the users", () => {
    const run = finishedRun(7, { counts: counts(12, 0, 2) });
    const n = notificationForRun(run, {
      movedUsers: ["anna", "bob"],
      quarantined: 0,
      leftBehind: 0,
    });
    expect(n).toMatchObject({ event: "run-succeeded", level: "success", runId: 7 });
    expect(n.title).toBe("Ferried 12 photos for anna, bob");
    expect(n.message).toBe("Run #7 (schedule): 36.0 MB, 2 duplicates skipped.");
    expect(notificationForRun(finishedRun(8, { counts: counts(1) })).title).toBe("Ferried 1 photo");
  });

  it("a failed run is an error listing a few errors and counting the rest", () => {
    const errors = Array.from({ length: 9 }, (_, i) => `IMG_${i}.jpg: permission denied`);
    const n = notificationForRun(
      finishedRun(3, { outcome: "failed", counts: counts(2, 9), errors }),
    );
    expect(n).toMatchObject({ event: "run-failed", level: "error", title: "Run #3 failed" });
    expect(n.message).toContain("9 files failed.");
    expect(n.message).toContain("- IMG_0.jpg: permission denied");
    expect(n.message).not.toContain(`IMG_${MAX_LISTED_ERRORS}.jpg`);
    expect(n.message).toContain(`…and ${9 - MAX_LISTED_ERRORS} more`);
    expect(n.message).toContain("Ferried 2 photos before it stopped.");
  });

  it("quarantined, left-behind or failed files in an ok run are a warning", () => {
    const facts = { movedUsers: ["anna"], quarantined: 2, leftBehind: 1 };
    const n = notificationForRun(finishedRun(4, { counts: counts(5) }), facts);
    expect(n).toMatchObject({ event: "run-warning", level: "warning" });
    expect(n.message).toBe("Ferried 5 photos for anna.\n2 quarantined, 1 left behind.");
    const failedFile = notificationForRun(finishedRun(5, { counts: counts(0, 1) }));
    expect(failedFile.level).toBe("warning");
    expect(failedFile.message).toContain("1 file failed.");
  });

  it("an interrupted run (paused, stopped) is info; nothing to do is debug", () => {
    expect(notificationForRun(finishedRun(6, { outcome: "interrupted" })).level).toBe("info");
    const idle = notificationForRun(finishedRun(9, { outcome: "nothing-to-do" }));
    expect(idle).toMatchObject({ event: "nothing-to-do", level: "debug", title: "Nothing to do" });
    expect(notificationForRun(finishedRun(10)).level).toBe("debug");
  });
});

describe("runFileFacts", () => {
  it("counts users with transferred files, quarantined and left-behind files", () => {
    const entry = (
      userId: string,
      action: "transferred" | "quarantined" | "left-behind" | "duplicate",
    ) =>
      ({
        id: 0,
        runId: 1,
        at: "",
        userId,
        action,
        source: "",
        destination: null,
        sha256: null,
        sha1: null,
        size: null,
        reason: null,
      }) as const;
    const facts = runFileFacts({
      files: [
        entry("bob", "transferred"),
        entry("anna", "transferred"),
        entry("bob", "transferred"),
        entry("carl", "duplicate"),
        entry("carl", "quarantined"),
        entry("anna", "left-behind"),
      ],
    });
    expect(facts).toEqual({ movedUsers: ["anna", "bob"], quarantined: 1, leftBehind: 1 });
  });
});

describe("notificationForState", () => {
  const status = (state: StatusSnapshot["state"]): StatusSnapshot => ({
    state,
    version: "0.1.0",
    startedAt: "2025-06-01T11:00:00.000Z",
    paused: false,
    current: null,
    queueLength: 0,
    nextRuns: [],
    lastRun: null,
    totals: { runs: 0, moved: 0, duplicates: 0, failed: 0, bytes: 0 },
    recentErrors:
      state === "error"
        ? [{ at: "2025-06-01T12:00:00.000Z", message: "the state database is read-only" }]
        : [],
  });

  it("reports entering the error state once, with the latest error", () => {
    const n = notificationForState("idle", status("error"), "now");
    expect(n).toMatchObject({
      event: "service-error",
      level: "error",
      message: "the state database is read-only",
    });
    expect(notificationForState("error", status("error"), "now")).toBeUndefined();
    expect(notificationForState("idle", status("running"), "now")).toBeUndefined();
  });
});

it("formatBytes", () => {
  expect(formatBytes(999)).toBe("999 B");
  expect(formatBytes(1_500_000)).toBe("1.5 MB");
});
