import { describe, expect, it } from "vitest";
import type { StatusSnapshot } from "../service/service-contract.js";
import { countOutcome, emptyTally, escapeLabelValue, renderMetrics } from "./metrics.js";

const status = (overrides: Partial<StatusSnapshot> = {}): StatusSnapshot => ({
  state: "idle",
  version: "0.1.0",
  startedAt: "2024-05-01T09:00:00Z",
  paused: false,
  current: null,
  queueLength: 2,
  nextRuns: [],
  lastRun: null,
  totals: { runs: 0, moved: 0, duplicates: 0, failed: 0, bytes: 0 },
  recentErrors: [{ at: "2024-05-01T09:00:00Z", message: "token abc123 refused" }],
  ...overrides,
});

describe("renderMetrics", () => {
  it("escapes backslash, quote and newline in label values", () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
  });

  it("reports down in the error state and leaves out last-run gauges before any run", () => {
    const text = renderMetrics(status({ state: "error", paused: true }), emptyTally());
    expect(text).toContain("photoferry_up 0\n");
    expect(text).toContain("photoferry_paused 1\n");
    expect(text).toContain("photoferry_queue_length 2\n");
    expect(text).not.toContain("photoferry_last_run_timestamp_seconds");
    // Errors and reasons are free text that may hold anything: they never become metrics.
    expect(text).not.toContain("abc123");
  });

  it("counts outcomes of finished runs only", () => {
    const tally = emptyTally();
    countOutcome(tally, { outcome: "ok" });
    countOutcome(tally, { outcome: null });
    countOutcome(tally, { outcome: "interrupted" });
    expect(renderMetrics(status(), tally)).toContain(
      [
        "# TYPE photoferry_runs_total counter",
        'photoferry_runs_total{outcome="ok"} 1',
        'photoferry_runs_total{outcome="failed"} 0',
        'photoferry_runs_total{outcome="nothing-to-do"} 0',
        'photoferry_runs_total{outcome="interrupted"} 1',
      ].join("\n"),
    );
  });
});
