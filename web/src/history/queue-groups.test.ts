import { describe, expect, it } from "vitest";
import { countStates, describeCounts, groupQueueByUser, type QueueFile } from "./queue-groups.js";

const file = (userId: string, path: string, state: QueueFile["state"]): QueueFile => ({
  userId,
  path,
  state,
  reason: null,
});

describe("groupQueueByUser", () => {
  it("groups by user in name order, each user's files by state then path", () => {
    const groups = groupQueueByUser([
      file("bob", "b.jpg", "waiting"),
      file("anna", "z.jpg", "waiting"),
      file("anna", "a.jpg", "quarantined"),
      file("anna", "m.jpg", "in-flight"),
      file("anna", "c.jpg", "waiting"),
    ]);
    expect(groups.map((group) => group.userId)).toEqual(["anna", "bob"]);
    expect(groups[0]?.files.map((item) => item.path)).toEqual(["m.jpg", "c.jpg", "z.jpg", "a.jpg"]);
    expect(groups[0]?.counts).toEqual({
      "in-flight": 1,
      settling: 0,
      waiting: 2,
      failed: 0,
      quarantined: 1,
    });
  });

  it("keeps user ids with spaces and quotes apart from similar ones", () => {
    const groups = groupQueueByUser([
      file("o'brien jr", "x.jpg", "failed"),
      file("o", "y", "waiting"),
    ]);
    expect(groups.map((group) => group.userId)).toEqual(["o", "o'brien jr"]);
  });

  it("gives no groups for no files", () => {
    expect(groupQueueByUser([])).toEqual([]);
  });

  it("does not reorder the caller's array", () => {
    const files = [file("a", "2", "waiting"), file("a", "1", "waiting")];
    groupQueueByUser(files);
    expect(files.map((item) => item.path)).toEqual(["2", "1"]);
  });
});

describe("describeCounts", () => {
  it("names only the states that occur, in list order", () => {
    const counts = countStates([
      file("a", "1", "failed"),
      file("a", "2", "in-flight"),
      file("a", "3", "in-flight"),
    ]);
    expect(describeCounts(counts)).toBe("2 in flight · 1 failed");
  });

  it("is empty when nothing waits", () => {
    expect(describeCounts(countStates([]))).toBe("");
  });
});
