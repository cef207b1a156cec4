import type { ImportVerification } from "./verify-import.js";

const files = (n: number): string => (n === 1 ? "1 file" : `${n} files`);

/** One sentence for the run report: imported, duplicates, left behind. */
export function summarise(result: Omit<ImportVerification, "summary">): string {
  const count = (outcome: string): number =>
    result.verdicts.filter((v) => v.outcome === outcome).length;
  const imported = count("imported");
  const unverified = count("imported-unverified");
  const duplicates = count("duplicate");
  const strangers = result.leftovers.filter((l) => l.entry === null).length;
  const left = result.leftovers.length;
  const parts: string[] = [];
  if (imported + unverified > 0) {
    parts.push(
      `${files(imported + unverified)} imported into PhotoPrism` +
        (unverified > 0 ? ` (${unverified} not verified in PhotoPrism's index)` : ""),
    );
  }
  if (duplicates > 0) parts.push(`${files(duplicates)} PhotoPrism already had`);
  if (left > 0) {
    parts.push(
      `${files(left)} left in the batch folder` +
        (strangers > 0 ? ` (${strangers} not put there by photoferry)` : "") +
        (result.retryAdvised ? ", worth another import" : ""),
    );
  }
  if (result.lookupError) parts.push(`PhotoPrism could not be asked: ${result.lookupError}`);
  const text = parts.length > 0 ? parts.join("; ") : "nothing was in the batch";
  return `Batch ${result.batchId}: ${text}.`;
}
