import { describe, expect, it } from "vitest";
import { MAX_MESSAGE_CHARS, mergeNotifications } from "./aggregate.js";
import type { Notification } from "./notification.js";

const note = (
  level: Notification["level"],
  title: string,
  at: string,
  runId = 1,
): Notification => ({
  event: level === "error" ? "run-failed" : "run-succeeded",
  level,
  title,
  message: `about ${title}`,
  runId,
  at,
});

describe("mergeNotifications", () => {
  it("returns a single notification unchanged", () => {
    const one = note("success", "Ferried 1 photo", "2025-01-01T00:00:00Z");
    expect(mergeNotifications([one])).toBe(one);
  });

  it("takes the worst level, its title and run, lists the worst first", () => {
    const merged = mergeNotifications([
      note("success", "Ferried 3 photos", "2025-01-01T00:00:01Z", 1),
      note("error", "Run #2 failed", "2025-01-01T00:00:02Z", 2),
      note("warning", "Run #3 finished with problems", "2025-01-01T00:00:03Z", 3),
    ]);
    expect(merged).toMatchObject({
      event: "summary",
      level: "error",
      runId: 2,
      at: "2025-01-01T00:00:03Z",
    });
    expect(merged.title).toBe("Run #2 failed (+2 more)");
    expect(merged.message.indexOf("Run #2 failed")).toBeLessThan(merged.message.indexOf("Run #3"));
    expect(merged.message.indexOf("Run #3")).toBeLessThan(merged.message.indexOf("Ferried 3"));
  });

  it("stays short however many arrive, and says how many were left out", () => {
    const many = Array.from({ length: 500 }, (_, i) =>
      note("error", `Run #${i} failed`, `2025-01-01T00:00:${String(i % 60).padStart(2, "0")}Z`, i),
    );
    const merged = mergeNotifications(many, 20);
    expect(merged.message.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(merged.title).toContain("(+519 more)");
    expect(merged.message).toMatch(/…and \d+ more \(see the activity log\)\.$/);
  });

  it("refuses an empty list", () => {
    expect(() => mergeNotifications([])).toThrow(/at least one/);
  });
});
