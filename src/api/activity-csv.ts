import type { ActivityEntry } from "../service/service-contract.js";

/** The columns of the activity export, in order; also its header row. */
export const activityCsvColumns = [
  "id",
  "runId",
  "at",
  "userId",
  "action",
  "source",
  "destination",
  "sha256",
  "sha1",
  "size",
  "reason",
] as const satisfies readonly (keyof ActivityEntry)[];

/**
 * Spreadsheets run a cell that starts with one of these as a formula, and a file name is
 * chosen by whoever uploaded the photo (OWASP "CSV injection"), so such cells get a leading
 * quote that makes them plain text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell, RFC 4180 quoted where needed and safe to open in a spreadsheet. */
export function csvCell(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(cells: readonly (string | number | null)[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

export const activityCsvHeader = (): string => csvRow(activityCsvColumns);

export const activityCsvLine = (entry: ActivityEntry): string =>
  csvRow(activityCsvColumns.map((column) => entry[column]));

/**
 * The whole export, page by page, so a large log is never held in memory at once. Entries
 * already written are skipped by id: a run adding entries while the export pages through
 * shifts the offsets and would otherwise repeat some.
 */
export function* activityCsv(
  fetchPage: (page: { limit: number; offset: number }) => { items: ActivityEntry[] },
  pageSize = 1000,
): Generator<string> {
  yield activityCsvHeader();
  const written = new Set<number>();
  for (let offset = 0; ; offset += pageSize) {
    const { items } = fetchPage({ limit: pageSize, offset });
    let chunk = "";
    for (const entry of items) {
      if (written.has(entry.id)) continue;
      written.add(entry.id);
      chunk += activityCsvLine(entry);
    }
    if (chunk !== "") yield chunk;
    if (items.length < pageSize) return;
  }
}
