import type {
  RunDetail,
  RunSummary,
  ServiceState,
  StatusSnapshot,
} from "../service/service-contract.js";
import type { Notification } from "./notification.js";

/** What only the run's file list tells: who got photos, and what was set aside. */
export interface RunFileFacts {
  /** Users with at least one file transferred, sorted. */
  movedUsers: string[];
  quarantined: number;
  leftBehind: number;
}

export function runFileFacts(detail: Pick<RunDetail, "files">): RunFileFacts {
  const users = new Set<string>();
  let quarantined = 0;
  let leftBehind = 0;
  for (const entry of detail.files) {
    if (entry.action === "transferred") users.add(entry.userId);
    else if (entry.action === "quarantined") quarantined++;
    else if (entry.action === "left-behind") leftBehind++;
  }
  return { movedUsers: [...users].sort(), quarantined, leftBehind };
}

/** Errors listed in one message; the rest are counted, so a bad run stays one short message. */
export const MAX_LISTED_ERRORS = 5;

const plural = (count: number, one: string, many = `${one}s`): string =>
  `${count} ${count === 1 ? one : many}`;

function ferried(run: RunSummary, facts: RunFileFacts | undefined): string {
  const users = facts?.movedUsers.length ? ` for ${facts.movedUsers.join(", ")}` : "";
  return `Ferried ${plural(run.counts.moved, "photo")}${users}`;
}

function problemLines(run: RunSummary, facts: RunFileFacts | undefined): string[] {
  const counts = [
    run.counts.failed > 0 ? `${plural(run.counts.failed, "file")} failed` : "",
    facts?.quarantined ? `${facts.quarantined} quarantined` : "",
    facts?.leftBehind ? `${facts.leftBehind} left behind` : "",
  ].filter(Boolean);
  const lines = counts.length > 0 ? [`${counts.join(", ")}.`] : [];
  const listed = run.errors.slice(0, MAX_LISTED_ERRORS).map((error) => `- ${error}`);
  const more = run.errors.length - listed.length;
  return [...lines, ...listed, ...(more > 0 ? [`- …and ${more} more`] : [])];
}

const hasProblems = (run: RunSummary, facts: RunFileFacts | undefined): boolean =>
  run.counts.failed > 0 ||
  run.errors.length > 0 ||
  (facts?.quarantined ?? 0) > 0 ||
  (facts?.leftBehind ?? 0) > 0;

/** One notification per finished run: failed → error, problems → warning, moved → success. */
export function notificationForRun(run: RunSummary, facts?: RunFileFacts): Notification {
  const at = run.finishedAt ?? run.startedAt;
  const base = { runId: run.id, at };
  const moved = run.counts.moved > 0 ? [`${ferried(run, facts)} before it stopped.`] : [];
  switch (run.outcome) {
    case "failed":
      return {
        ...base,
        event: "run-failed",
        level: "error",
        title: `Run #${run.id} failed`,
        message: [...problemLines(run, facts), ...moved].join("\n") || "See the run for details.",
      };
    case "interrupted":
    case null:
      // Someone paused or stopped photoferry (or it was killed): it continues by itself, so
      // this is news, not a warning — pausing must not page anybody.
      return {
        ...base,
        event: "run-warning",
        level: "info",
        title: `Run #${run.id} was interrupted`,
        message: [
          "It stopped before finishing; the next run picks up where it left off.",
          ...moved,
        ].join("\n"),
      };
    case "ok":
    case "nothing-to-do":
      break;
  }
  if (hasProblems(run, facts)) {
    return {
      ...base,
      event: "run-warning",
      level: "warning",
      title: `Run #${run.id} finished with problems`,
      message: [`${ferried(run, facts)}.`, ...problemLines(run, facts)].join("\n"),
    };
  }
  if (run.counts.moved > 0) {
    const duplicates = run.counts.duplicates
      ? `, ${plural(run.counts.duplicates, "duplicate")} skipped`
      : "";
    return {
      ...base,
      event: "run-succeeded",
      level: "success",
      title: ferried(run, facts),
      message: `Run #${run.id} (${run.reason}): ${formatBytes(run.counts.bytes)}${duplicates}.`,
    };
  }
  return {
    ...base,
    event: "nothing-to-do",
    level: "debug",
    title: "Nothing to do",
    message: `Run #${run.id} (${run.reason}) found no new photos.`,
  };
}

/** Only the step into `error` is news; staying there is not. */
export function notificationForState(
  previous: ServiceState | undefined,
  status: StatusSnapshot,
  now: string,
): Notification | undefined {
  if (status.state !== "error" || previous === "error") return undefined;
  const latest = status.recentErrors[0];
  return {
    event: "service-error",
    level: "error",
    title: "photoferry stopped working",
    message: latest?.message ?? "The service is in an error state; its log says why.",
    runId: null,
    at: latest?.at ?? now,
  };
}

export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
