import { describe, expect, it } from "vitest";
import type { RunSummary, StatusSnapshot } from "../api/types.js";
import { applyEvent, type LiveState } from "./live-status.js";

const run = (id: number, outcome: RunSummary["outcome"] = null): RunSummary => ({
  id,
  trigger: "manual",
  reason: "web UI",
  startedAt: "2026-11-22T10:00:00Z",
  finishedAt: outcome ? "2026-11-22T10:01:00Z" : null,
  outcome,
  counts: { seen: 1, moved: 1, duplicates: 0, skipped: 0, failed: 0, bytes: 10 },
  steps: [],
  errors: [],
});

const status = (overrides: Partial<StatusSnapshot> = {}): StatusSnapshot => ({
  state: "idle",
  version: "0.1.0",
  startedAt: "2026-11-22T09:00:00Z",
  paused: false,
  current: null,
  queueLength: 0,
  nextRuns: [],
  lastRun: null,
  totals: { runs: 0, moved: 0, duplicates: 0, failed: 0, bytes: 0 },
  recentErrors: [],
  ...overrides,
});

const empty: LiveState = {
  status: null,
  connected: true,
  log: [],
  runsVersion: 0,
  lastFinished: null,
};

describe("applyEvent", () => {
  it("takes the whole status from a state event", () => {
    const next = applyEvent(empty, { type: "state", status: status({ state: "running" }) });
    expect(next.status?.state).toBe("running");
  });

  it("puts progress into the current run, but only once a status is known", () => {
    expect(applyEvent(empty, { type: "progress", run: run(3) })).toBe(empty);
    const known = applyEvent(empty, { type: "state", status: status() });
    expect(applyEvent(known, { type: "progress", run: run(3) }).status?.current?.id).toBe(3);
  });

  it("clears the current run when it finishes and tells run lists to reload", () => {
    let state = applyEvent(empty, { type: "state", status: status({ current: run(4) }) });
    state = applyEvent(state, { type: "run-finished", run: run(4, "ok") });
    expect(state.status?.current).toBeNull();
    expect(state.status?.lastRun?.outcome).toBe("ok");
    expect(state.runsVersion).toBe(1);
    expect(state.lastFinished?.id).toBe(4);
  });

  it("keeps the newest 200 log lines, newest first", () => {
    let state = empty;
    for (let index = 0; index < 250; index += 1) {
      state = applyEvent(state, { type: "log", level: "info", message: `line ${index}`, at: "x" });
    }
    expect(state.log).toHaveLength(200);
    expect(state.log[0]?.message).toBe("line 249");
  });
});
