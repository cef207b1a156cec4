/**
 * The summary `occ files:scan` prints last. Three shapes exist:
 * - NC 28+: a Symfony table `Folders | Files | New | Updated | Removed | Errors | Elapsed time`;
 * - NC ≤ 27: the same table with only `Folders | Files | Elapsed time`;
 * - NC 35 with `--output=json`: `[{"Folders":3,"Files":12,…,"Elapsed time":"00:00:01"}]`.
 * Column widths follow the values, so tables are split on `|`, never read by offsets.
 */
export interface ScanSummary {
  format: "table" | "legacy-table" | "json";
  folders: number;
  files: number;
  /** null where the version does not count it (≤ NC 27). */
  new: number | null;
  updated: number | null;
  removed: number | null;
  errors: number | null;
  /** `hh:mm:ss` as printed. */
  elapsed: string | null;
  /**
   * New + Updated. Nextcloud counts new files as "Updated" (server PR #62024), so only the
   * sum says whether added files were picked up.
   */
  changed: number | null;
}

type Row = Record<string, string | number>;

export function readScanSummary(stdout: string): ScanSummary | undefined {
  const rows = [...tableRows(stdout), ...jsonRows(stdout)];
  // With several summaries (never seen, but cheap to handle) the last one is the final word.
  for (const { row, format } of rows.reverse()) {
    const summary = toSummary(row, format);
    if (summary) return summary;
  }
  return undefined;
}

function tableRows(text: string): { row: Row; format: "table" }[] {
  const found: { row: Row; format: "table" }[] = [];
  let header: string[] | undefined;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line.startsWith("|") || !line.endsWith("|")) continue;
    const cells = line
      .slice(1, -1)
      .split("|")
      .map((c) => c.trim());
    if (cells.includes("Folders") && cells.includes("Files")) {
      header = cells;
      continue;
    }
    if (!header || cells.length !== header.length) continue;
    const row: Row = {};
    header.forEach((name, i) => (row[name] = cells[i] ?? ""));
    found.push({ row, format: "table" });
  }
  return found;
}

function jsonRows(text: string): { row: Row; format: "json" }[] {
  const end = text.lastIndexOf("]");
  const starts = [...text.matchAll(/^[ \t]*\[/gm)].map((m) => m.index).reverse();
  for (const start of starts) {
    if (end < start) continue;
    let value: unknown;
    try {
      value = JSON.parse(text.slice(start, end + 1));
    } catch {
      continue;
    }
    if (!Array.isArray(value)) continue;
    return value
      .filter((v): v is Row => typeof v === "object" && v !== null && !Array.isArray(v))
      .map((row) => ({ row, format: "json" as const }));
  }
  return [];
}

function toSummary(row: Row, format: "table" | "json"): ScanSummary | undefined {
  const folders = count(row.Folders);
  const files = count(row.Files);
  if (folders === null || files === null) return undefined;
  const counted = "Errors" in row;
  const summary: ScanSummary = {
    format: format === "table" && !counted ? "legacy-table" : format,
    folders,
    files,
    new: count(row.New),
    updated: count(row.Updated),
    removed: count(row.Removed),
    errors: count(row.Errors),
    elapsed: typeof row["Elapsed time"] === "string" ? row["Elapsed time"] : null,
    changed: null,
  };
  // A column that is there but unreadable is not a summary we can trust.
  if (counted && summary.errors === null) return undefined;
  if (summary.new !== null && summary.updated !== null)
    summary.changed = summary.new + summary.updated;
  return summary;
}

function count(value: string | number | undefined): number | null {
  if (typeof value === "number") return Number.isSafeInteger(value) && value >= 0 ? value : null;
  if (typeof value === "string" && /^\d+$/.test(value)) return Number.parseInt(value, 10);
  return null;
}
