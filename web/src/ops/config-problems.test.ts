import { describe, expect, it } from "vitest";
import { placeProblems, problemsOf } from "./config-problems.js";

const fields = { topic: "notify.ntfy.topic", headers: "notify.webhook.headers" };

describe("placeProblems", () => {
  it("puts each error beside its field, with the fix, and keeps the rest apart", () => {
    const body = {
      error: "invalid-config",
      message: "…",
      issues: [
        {
          severity: "error",
          path: "notify.ntfy.topic",
          message: "may only contain letters",
          fix: "drop the spaces",
        },
        {
          severity: "error",
          path: "notify.webhook.headers.Bad Name",
          message: "is not an HTTP header name",
        },
        { severity: "error", path: "schedule.cron", message: "is not a cron expression" },
        { severity: "warning", path: "notify.ntfy.topic", message: "only a warning" },
      ],
    };
    expect(placeProblems(body, fields)).toEqual({
      byField: {
        topic: "May only contain letters — drop the spaces",
        headers: "Is not an HTTP header name",
      },
      other: ["schedule.cron: is not a cron expression"],
    });
  });

  it("does not take a field whose path merely starts with the same letters", () => {
    const body = { issues: [{ path: "notify.ntfy.topicx", message: "odd" }] };
    expect(placeProblems(body, fields).byField).toEqual({});
  });

  it("reads the `problems` spelling too, and ignores junk", () => {
    expect(problemsOf({ problems: [{ message: "bad", path: "a" }, 3, { path: "b" }] })).toEqual([
      { path: "a", message: "bad", fix: undefined },
    ]);
    expect(problemsOf(null)).toEqual([]);
    expect(problemsOf({ issues: "no" })).toEqual([]);
  });
});
