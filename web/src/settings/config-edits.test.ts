import { describe, expect, it } from "vitest";
import { changedEdits, deepEqual, placeProblems, serverProblems } from "./config-edits.js";

const config = {
  schedule: { cron: "* * * * *", settleSeconds: 0, folders: [] },
  nextcloud: { sourceFolders: ["InstantUpload", "Photos"] },
  photoprism: { api: { token: { set: false } } },
};

describe("changedEdits", () => {
  it("sends only values that differ from the config as read", () => {
    const edits = changedEdits(config, [
      { path: ["schedule", "cron"], value: "0 3 * * *" },
      { path: ["schedule", "settleSeconds"], value: 0 },
      { path: ["nextcloud", "sourceFolders"], value: ["InstantUpload", "Photos"] },
    ]);
    expect(edits).toEqual([{ path: ["schedule", "cron"], value: "0 3 * * *" }]);
  });

  it("sends a key the file does not have yet, and a replaced secret", () => {
    expect(
      changedEdits(config, [
        { path: ["nextcloud", "users", "exclude"], value: ["bob"] },
        { path: ["photoprism", "api", "token"], value: "new-token" },
      ]),
    ).toHaveLength(2);
  });

  it("sends a turned-off cron as null", () => {
    expect(changedEdits(config, [{ path: ["schedule", "cron"], value: null }])).toEqual([
      { path: ["schedule", "cron"], value: null },
    ]);
  });
});

describe("deepEqual", () => {
  it("compares nested values", () => {
    expect(deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(deepEqual({ a: [1] }, { a: { 0: 1 } })).toBe(false);
    expect(deepEqual([1, 2], [1])).toBe(false);
    expect(deepEqual(null, {})).toBe(false);
  });
});

describe("serverProblems", () => {
  it("reads the errors of a 422 body and skips warnings and junk", () => {
    const body = {
      issues: [
        {
          severity: "error",
          path: "schedule.cron",
          line: 9,
          message: "'x' is not a cron expression",
          fix: "try `*/15 * * * *`",
        },
        { severity: "warning", path: "foo", message: "unknown key" },
        "junk",
        { severity: "error" },
      ],
    };
    expect(serverProblems(body)).toEqual([
      {
        path: "schedule.cron",
        line: 9,
        message: "'x' is not a cron expression",
        fix: "try `*/15 * * * *`",
      },
    ]);
  });

  it("accepts the older `problems` name and a body without either", () => {
    expect(serverProblems({ problems: [{ message: "m" }] })).toEqual([{ message: "m" }]);
    expect(serverProblems({ message: "x" })).toEqual([]);
  });
});

describe("placeProblems", () => {
  const fields = new Set(["schedule.cron", "schedule.folders", "log.level"]);

  it("puts each problem at its field or the nearest shown field above it", () => {
    const { byField, unplaced } = placeProblems(
      [
        { path: "schedule.cron", message: "bad cron", line: 3 },
        { path: "schedule.folders[1].cron", message: "bad folder cron" },
        { path: "web.port", message: "in use" },
        { message: "the file is not YAML" },
      ],
      fields,
    );
    expect(Object.fromEntries(byField)).toEqual({
      "schedule.cron": ["bad cron (line 3)"],
      "schedule.folders": ["bad folder cron"],
    });
    expect(unplaced).toEqual(["web.port: in use", "the file is not YAML"]);
  });
});
