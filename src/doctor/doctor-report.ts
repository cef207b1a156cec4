import {
  anyFailed,
  checkAreas,
  countResults,
  type CheckArea,
  type CheckCounts,
  type CheckResult,
  type CheckStatus,
} from "./check-result.js";

const areaTitles: Record<CheckArea, string> = {
  config: "Configuration",
  nextcloud: "Nextcloud",
  docker: "Docker",
  photoprism: "PhotoPrism",
  notify: "Notifications",
  state: "State",
};

const marks: Record<CheckStatus, string> = { ok: "✓", warn: "!", fail: "✗", skip: "-" };

/** Grouped by area; each fix indented below its line; a summary last. */
export function formatDoctorReport(results: readonly CheckResult[]): string {
  const lines: string[] = [];
  for (const area of checkAreas) {
    const inArea = results.filter((result) => result.area === area);
    if (inArea.length === 0) continue;
    lines.push(areaTitles[area]);
    for (const result of inArea) {
      lines.push(`  ${marks[result.status]} ${result.name}: ${result.detail}`);
      if (result.fix && (result.status === "fail" || result.status === "warn")) {
        lines.push(`      → ${result.fix}`);
      }
    }
    lines.push("");
  }
  lines.push(summaryLine(countResults(results)));
  return `${lines.join("\n")}\n`;
}

export function summaryLine(counts: CheckCounts): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const rest = [
    counts.warn ? plural(counts.warn, "warning") : "",
    `${counts.ok} passed`,
    counts.skip ? `${counts.skip} skipped` : "",
  ].filter(Boolean);
  if (counts.fail > 0) {
    return `✗ ${plural(counts.fail, "check")} failed (${rest.join(", ")}): fix the ✗ lines above and run doctor again`;
  }
  if (counts.warn > 0) return `! Nothing blocks photoferry (${rest.join(", ")}); read the ! lines`;
  return `✓ Everything checked is fine (${rest.join(", ")})`;
}

/** The machine-readable form: the same results, plus the totals and the verdict. */
export function doctorJson(configPath: string, results: readonly CheckResult[]): string {
  const report = {
    config: configPath,
    ok: !anyFailed(results),
    counts: countResults(results),
    checks: results,
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
