import type { RunResult } from "../cli/commands/run-report.js";

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

function perUser(files: { userId: string }[]): string {
  const counts = new Map<string, number>();
  for (const file of files) counts.set(file.userId, (counts.get(file.userId) ?? 0) + 1);
  return [...counts].map(([user, n]) => `${user} ${n}`).join(", ");
}

/**
 * What one pass did, in a few short lines for the demo's console; empty when it did nothing
 * worth telling (files still settling are not news).
 */
export function summarizePass(result: RunResult): string[] {
  if (result.blocked) return [`✗ ${result.blocked}`];
  const lines: string[] = [];
  const files = result.pass?.files ?? [];
  const failed = files.filter((f) => f.outcome?.startsWith("failed"));
  const moved = files.filter((f) => f.action === "transfer" && !failed.includes(f));
  const duplicates = files.filter((f) => f.action === "duplicate" && !failed.includes(f));
  const quarantined = files.filter((f) => f.action === "quarantine");
  if (moved.length > 0)
    lines.push(`→ ferried ${plural(moved.length, "file")} to PhotoPrism (${perUser(moved)})`);
  if (duplicates.length > 0)
    lines.push(
      `= ${plural(duplicates.length, "duplicate")} already in the library, archived (${perUser(duplicates)})`,
    );
  for (const file of quarantined)
    lines.push(`! quarantined ${file.userId}: ${file.path} — ${file.reason}`);
  for (const file of failed) lines.push(`✗ ${file.userId}: ${file.path} — ${file.outcome ?? ""}`);
  const indexing = result.indexing;
  if (indexing) {
    for (const item of indexing.imports) lines.push(`  PhotoPrism import: ${item.summary}`);
    const scans = indexing.scans.filter((scan) => scan.ok).length;
    if (scans > 0) lines.push(`  Nextcloud rescanned ${plural(scans, "folder")} (occ files:scan)`);
    const memories = indexing.memories.filter((m) => m.ok).length;
    if (memories > 0) lines.push(`  Memories indexed ${plural(memories, "folder")}`);
  }
  for (const error of [...(result.pass?.errors ?? []), ...(indexing?.errors ?? [])])
    lines.push(`✗ ${error}`);
  return lines;
}
