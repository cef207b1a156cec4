import type { RunOutcome, RunSummary, StatusSnapshot } from "../service/service-contract.js";

/** Runs per outcome since the ledger began; kept up to date from `run-finished` events. */
export type OutcomeTally = Record<RunOutcome, number>;

const outcomes: readonly RunOutcome[] = ["ok", "failed", "nothing-to-do", "interrupted"];

export const emptyTally = (): OutcomeTally => ({
  ok: 0,
  failed: 0,
  "nothing-to-do": 0,
  interrupted: 0,
});

export function countOutcome(tally: OutcomeTally, run: Pick<RunSummary, "outcome">): void {
  if (run.outcome !== null) tally[run.outcome]++;
}

/** Label values may hold anything (a version string); the text format escapes three chars. */
export function escapeLabelValue(value: string): string {
  return value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
}

interface Sample {
  labels?: Record<string, string>;
  value: number;
}

function family(name: string, type: "gauge" | "counter", help: string, samples: Sample[]): string {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`];
  for (const { labels, value } of samples) {
    const labelText = labels
      ? `{${Object.entries(labels)
          .map(([key, text]) => `${key}="${escapeLabelValue(text)}"`)
          .join(",")}}`
      : "";
    lines.push(`${name}${labelText} ${Number.isFinite(value) ? value : "NaN"}`);
  }
  return lines.join("\n");
}

const seconds = (iso: string): number => Date.parse(iso) / 1000;

/**
 * Prometheus text format 0.0.4. Built only from counts and times: nothing that could hold a
 * secret (paths, reasons, errors) becomes a label.
 */
export function renderMetrics(status: StatusSnapshot, tally: OutcomeTally): string {
  const last = status.lastRun;
  const lastFinished = last?.finishedAt ?? null;
  const families = [
    family("photoferry_up", "gauge", "1 while the service answers; 0 in the error state.", [
      { value: status.state === "error" ? 0 : 1 },
    ]),
    family("photoferry_info", "gauge", "The running version of photoferry.", [
      { labels: { version: status.version }, value: 1 },
    ]),
    family(
      "photoferry_runs_total",
      "counter",
      "Finished runs, by outcome.",
      outcomes.map((outcome) => ({ labels: { outcome }, value: tally[outcome] })),
    ),
    family(
      "photoferry_files_moved_total",
      "counter",
      "Files placed in PhotoPrism's import folder.",
      [{ value: status.totals.moved }],
    ),
    family(
      "photoferry_duplicates_total",
      "counter",
      "Files recognised as already in the library.",
      [{ value: status.totals.duplicates }],
    ),
    family("photoferry_failed_total", "counter", "Files that could not be ferried.", [
      { value: status.totals.failed },
    ]),
    family("photoferry_bytes_moved_total", "counter", "Bytes placed in the import folder.", [
      { value: status.totals.bytes },
    ]),
    family("photoferry_queue_length", "gauge", "Runs asked for and not started yet.", [
      { value: status.queueLength },
    ]),
    family("photoferry_paused", "gauge", "1 while paused: no new run starts.", [
      { value: status.paused ? 1 : 0 },
    ]),
  ];
  // Absent rather than 0 before the first run: 0 would read as "last run in 1970".
  if (last && lastFinished !== null) {
    families.push(
      family(
        "photoferry_last_run_timestamp_seconds",
        "gauge",
        "When the last run finished (Unix time).",
        [{ value: seconds(lastFinished) }],
      ),
      family("photoferry_run_duration_seconds", "gauge", "How long the last run took.", [
        { value: seconds(lastFinished) - seconds(last.startedAt) },
      ]),
    );
  }
  return `${families.join("\n")}\n`;
}
