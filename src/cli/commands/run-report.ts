import type { ChainReport } from "../../chain/indexing-chain.js";
import type { FileAction, PassReport } from "../../engine/ferry-pass.js";
import type { CommandRecord } from "../../ledger/command-log.js";

/** What `run --once` did: the pass, the indexing chain, and every command it ran. */
export interface RunResult {
  /** null when the pass did not start (see `blocked`). */
  pass: PassReport | null;
  /** null in a dry run, or when the pass did not start. */
  indexing: ChainReport | null;
  commands: CommandRecord[];
  /** Why nothing was moved (Nextcloud in maintenance mode, occ unusable), or null. */
  blocked: string | null;
}

export function runFailed(result: RunResult): boolean {
  const { pass, indexing } = result;
  return (
    result.blocked !== null ||
    (pass !== null &&
      (pass.errors.length > 0 ||
        pass.files.some((file) => file.outcome?.startsWith("failed")) ||
        pass.recovered.some((batch) => batch.outcomes.some((o) => o.outcome === "failed")))) ||
    (indexing !== null && (indexing.errors.length > 0 || indexing.quarantined > 0))
  );
}

export function formatRunResult(result: RunResult): string {
  if (result.blocked) return `✗ ${printable(result.blocked)}\n`;
  let text = result.pass ? formatPassReport(result.pass) : "";
  if (result.indexing) text += formatChainReport(result.indexing);
  return text;
}

function formatChainReport(chain: ChainReport): string {
  const lines: string[] = [];
  for (const item of chain.imports)
    lines.push(
      `PhotoPrism import${item.status === "imported" ? "" : ` (${item.status})`}: ${printable(item.summary)}`,
    );
  for (const scan of chain.scans)
    lines.push(
      `  ${scan.ok ? "✓" : "✗"} files:scan ${printable(scan.path)} — ${printable(scan.summary)}`,
    );
  for (const m of chain.memories)
    lines.push(
      `  ${m.ok ? "✓" : "✗"} memories:index ${printable(m.userId)} ${printable(m.path)} — ${printable(m.summary)}`,
    );
  if (chain.done.length > 0) lines.push(`Indexed: ${chain.done.join(", ")}`);
  for (const warning of chain.warnings) lines.push(`! ${printable(warning)}`);
  for (const error of chain.errors) lines.push(`✗ ${printable(error)}`);
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}

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
