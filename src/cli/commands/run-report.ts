import type { FileAction, PassReport } from "../../engine/ferry-pass.js";

const order: FileAction[] = ["transfer", "duplicate", "quarantine", "wait", "skip", "ignore"];

/** The human-readable report of a pass: per file its action and reason, then a summary. */
export function formatPassReport(report: PassReport): string {
  const lines: string[] = [];
  lines.push(
    report.dryRun
      ? "Dry run: nothing was changed. This is what a pass would do:"
      : "Pass finished.",
  );
  for (const recovered of report.recovered) {
    lines.push(`Finished an interrupted batch: ${recovered.batchId}`);
  }
  const users = report.users.map((u) => `${u.id}${u.included ? "" : ` (not synced: ${u.reason})`}`);
  lines.push(`Users: ${users.length ? users.join(", ") : "none found"}`);
  const files = [...report.files].sort(
    (a, b) => order.indexOf(a.action) - order.indexOf(b.action) || a.path.localeCompare(b.path),
  );
  for (const file of files) {
    const outcome = file.outcome ? ` → ${file.outcome}` : "";
    lines.push(
      `  ${file.action.padEnd(10)} ${printable(file.path)} — ${printable(file.reason)}${outcome}`,
    );
  }
  if (report.batch?.publishedDir) {
    lines.push(`Published to PhotoPrism's import folder: ${report.batch.publishedDir}`);
    // Until the indexing chain lands the pass ends here; say so rather than imply more.
    lines.push("  (this version does not start PhotoPrism's import or the Nextcloud scans yet)");
  }
  const counts = order
    .map((action) => [action, report.files.filter((f) => f.action === action).length] as const)
    .filter(([, count]) => count > 0)
    .map(([action, count]) => `${count} ${action}`);
  lines.push(`Summary: ${counts.length ? counts.join(", ") : "nothing to do"}.`);
  for (const error of report.errors) lines.push(`✗ ${printable(error)}`);
  return `${lines.join("\n")}\n`;
}

// A file name may hold a newline or escape codes; never let it forge or garble a line.
function printable(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    /[\u0000-\u001f\u007f-\u009f]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
}
