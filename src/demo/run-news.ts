import type { RunSummary } from "../service/service-contract.js";

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * What a finished run did, in a line or two for the demo's console; empty for a run that
 * found nothing to do (the schedule's quiet minutes are not news).
 */
export function describeRun(run: RunSummary): string[] {
  if (run.outcome === "nothing-to-do") return [];
  const { moved, duplicates, failed } = run.counts;
  const parts = [
    moved > 0 ? `${plural(moved, "file")} ferried to PhotoPrism` : "",
    duplicates > 0 ? `${plural(duplicates, "duplicate")} archived` : "",
    failed > 0 ? `${failed} failed` : "",
  ].filter(Boolean);
  // Nothing moved (files still settling, say) and nothing wrong: quiet.
  if (parts.length === 0 && run.errors.length === 0 && run.outcome === "ok") return [];
  const seconds =
    run.finishedAt === null
      ? ""
      : ` in ${((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000).toFixed(1)} s`;
  const mark = run.outcome === "ok" ? "→" : "✗";
  const lines = [
    `${mark} run #${run.id} (${run.reason}): ${parts.join(", ") || (run.outcome ?? "unfinished")}${seconds}`,
  ];
  for (const error of run.errors) lines.push(`  ✗ ${error}`);
  return lines;
}
