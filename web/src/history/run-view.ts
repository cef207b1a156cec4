import type { ActivityEntry, RunSummary, StepProgress, Trigger } from "../api/types.js";

/**
 * A run still going is loaded once from `/api/runs/:id`; its steps and counts then move with
 * the live `progress` events, which carry the current run only.
 */
export function withLiveProgress<T extends RunSummary>(run: T, live: RunSummary | null): T {
  if (!live || live.id !== run.id || run.outcome !== null) return run;
  return { ...run, steps: live.steps, counts: live.counts, errors: live.errors };
}

/** How long a step or run took; a running one counts up to `now`; null when not started. */
export function elapsedMs(
  startedAt: string | null,
  finishedAt: string | null,
  now: number,
): number | null {
  if (!startedAt) return null;
  const start = Date.parse(startedAt);
  const end = finishedAt ? Date.parse(finishedAt) : now;
  if (!Number.isFinite(start) || !Number.isFinite(end) || end < start) return null;
  return end - start;
}

export function stepElapsedMs(step: StepProgress, now: number): number | null {
  if (step.state === "pending" || step.state === "skipped") return null;
  return elapsedMs(step.startedAt, step.finishedAt, now);
}

export const triggerWords: Record<Trigger, string> = {
  manual: "Manual",
  scheduled: "Scheduled",
  watch: "New files",
};

export const stepStateTone: Record<
  StepProgress["state"],
  "ok" | "warn" | "bad" | "info" | "muted"
> = {
  pending: "muted",
  running: "info",
  done: "ok",
  failed: "bad",
  skipped: "muted",
};

export const actionWords: Record<
  ActivityEntry["action"],
  { label: string; tone: "ok" | "warn" | "bad" | "info" | "muted" }
> = {
  transferred: { label: "transferred", tone: "ok" },
  imported: { label: "imported", tone: "ok" },
  duplicate: { label: "duplicate", tone: "muted" },
  "left-behind": { label: "left behind", tone: "muted" },
  quarantined: { label: "quarantined", tone: "warn" },
  failed: { label: "failed", tone: "bad" },
};

/** The last part of a path, for narrow cells; the full path goes in a title. */
export function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  const slash = trimmed.lastIndexOf("/");
  return slash < 0 ? trimmed : trimmed.slice(slash + 1) || trimmed;
}

/** The first 12 hex digits: enough to tell photos apart at a glance and to search by. */
export function shortHash(hash: string | null): string {
  return hash ? hash.slice(0, 12) : "–";
}
