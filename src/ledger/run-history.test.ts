import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pendingSteps } from "../service/step-tracker.js";
import { StateStore } from "../state/state-store.js";
import { activityQuery, ActivityFilterError } from "./activity-query.js";
import { CommandLog } from "./command-log.js";
import { emptyCounts, RunHistory, type NewActivity } from "./run-history.js";

let dir: string;
let store: StateStore;
let history: RunHistory;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "photoferry-history-"));
  store = StateStore.open(dir);
  history = new RunHistory(store.connection);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const day = (iso: string) => Date.parse(`${iso}T12:00:00Z`);
const file = (over: Partial<NewActivity>): NewActivity => ({
  at: day("2024-06-01"),
  userId: "anna",
  action: "transferred",
  source: "/data/anna/files/InstantUpload/IMG_1.jpg",
  destination: "/import/b/anna/InstantUpload/IMG_1.jpg",
  sha256: "ab".repeat(32),
  sha1: "cd".repeat(20),
  size: 100,
  reason: null,
  ...over,
});

function recordRun(startedAt: number, activity: NewActivity[]): number {
  const id = history.start("manual", "test", startedAt, pendingSteps());
  history.finish(
    id,
    { finishedAt: startedAt + 1, outcome: "ok", counts: emptyCounts(), steps: [], errors: [] },
    activity,
  );
  return id;
}

describe("RunHistory", () => {
  it("finds file actions by user, part of a name, hash beginning and day", () => {
    recordRun(day("2024-06-01"), [
      file({}),
      file({
        userId: "bob smith",
        source: "/data/bob smith/files/Photos/100%_done.jpg",
        sha256: "ef".repeat(32),
        sha1: null,
        destination: null,
      }),
      file({
        action: "duplicate",
        at: day("2024-06-03"),
        source: "/data/anna/files/Photos/x.jpg",
        destination: null,
      }),
    ]);
    const search = (filter: Parameters<typeof activityQuery>[0]) =>
      history.activity(activityQuery(filter)).items.map((item) => item.source);
    expect(search({ userId: "bob smith" })).toEqual(["/data/bob smith/files/Photos/100%_done.jpg"]);
    expect(search({ name: "100%" })).toHaveLength(1); // % is a character here, not a wildcard
    expect(search({ name: "IMG_" })).toEqual(["/data/anna/files/InstantUpload/IMG_1.jpg"]);
    expect(search({ hash: "EFEF" })).toHaveLength(1);
    expect(search({ hash: "cdcd" })).toHaveLength(2); // SHA-1 too
    expect(search({ from: "2024-06-02" })).toEqual(["/data/anna/files/Photos/x.jpg"]);
    expect(search({ to: "2024-06-01" })).toHaveLength(2); // the whole day
    expect(history.activity(activityQuery({ limit: 1, offset: 1 }))).toMatchObject({ total: 3 });
  });

  it("refuses a bad filter in plain words", () => {
    expect(() => activityQuery({ hash: "xyz" })).toThrow(ActivityFilterError);
    expect(() => activityQuery({ from: "last tuesday" })).toThrow(/not a date/);
    expect(() => activityQuery({ limit: 0 })).toThrow(/limit must be/);
  });

  it("counts per user and in total, links the run's commands, and forgets old runs", () => {
    const log = new CommandLog(store.connection);
    const old = recordRun(day("2024-01-01"), [file({ userId: "anna", size: 10 })]);
    const runStart = day("2024-06-01");
    const id = history.start("watch", "1 file changed", runStart, pendingSteps());
    log.record({
      app: "photoprism",
      step: "import",
      batchId: null,
      target: "local",
      argv: ["photoprism", "import"],
      attempt: 1,
      exitCode: 0,
      timedOut: false,
      ok: true,
      durationMs: 5,
      parsed: null,
      error: null,
      outputTail: "",
      startedAt: runStart + 10,
    });
    history.finish(
      id,
      {
        finishedAt: runStart + 20,
        outcome: "failed",
        counts: emptyCounts(),
        steps: [],
        errors: ["boom"],
      },
      [file({ size: 5 }), file({ action: "duplicate" }), file({ action: "failed", userId: "bob" })],
    );
    expect(history.userCounts().get("anna")).toEqual({
      moved: 2,
      duplicates: 1,
      failed: 0,
      bytes: 15,
    });
    expect(history.totals()).toEqual({ runs: 2, moved: 2, duplicates: 1, failed: 1, bytes: 15 });
    expect(history.commands(id).map((c) => c.step)).toEqual(["import"]);
    expect(history.recentErrors(5)).toEqual([
      { at: new Date(runStart + 20).toISOString(), message: "boom" },
    ]);
    expect(history.prune(day("2024-03-01"))).toBe(1);
    expect(history.get(old)).toBeUndefined();
    expect(history.activity(activityQuery({})).total).toBe(3); // the old run's files went with it
  });

  it("closes runs a crash left open as interrupted", () => {
    const id = history.start("scheduled", "schedule", day("2024-06-01"), pendingSteps());
    expect(history.closeUnfinished(day("2024-06-02"))).toBe(1);
    expect(history.get(id)).toMatchObject({
      outcome: "interrupted",
      errors: ["photoferry stopped before the run finished"],
    });
  });
});
