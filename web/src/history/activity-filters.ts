/**
 * The activity log's search, kept in the page URL (`/activity?user=anna&name=IMG`) so a
 * search can be bookmarked or shared, and sent unchanged to `/api/logs` and `/api/logs.csv`.
 * Checked here with the server's own rules so a typo is explained beside its field instead
 * of coming back as a 400.
 */
export interface ActivityFilters {
  user: string;
  name: string;
  hash: string;
  /** YYYY-MM-DD, as `<input type="date">` gives it; both ends inclusive. */
  from: string;
  to: string;
}

export type FilterField = keyof ActivityFilters;
export type FilterProblems = Partial<Record<FilterField, string>>;

export const filterFields: readonly FilterField[] = ["user", "name", "hash", "from", "to"];

export const noFilters: ActivityFilters = { user: "", name: "", hash: "", from: "", to: "" };

export function filtersFromQuery(query: URLSearchParams): ActivityFilters {
  const filters = { ...noFilters };
  for (const field of filterFields) filters[field] = (query.get(field) ?? "").trim();
  return filters;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a calendar day that exists as written (not 2024-02-31). */
export function isRealDay(value: string): boolean {
  const match = DAY.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

/** What is wrong with each field, in words that say how to fix it; empty when all is fine. */
export function filterProblems(filters: ActivityFilters): FilterProblems {
  const problems: FilterProblems = {};
  if (filters.name.length > 256) problems.name = "Use at most 256 characters.";
  if (filters.hash && !/^[0-9a-fA-F]{4,64}$/.test(filters.hash)) {
    problems.hash =
      "Give a SHA-256 or SHA-1 in hexadecimal (0-9, a-f), or at least its first 4 digits.";
  }
  for (const field of ["from", "to"] as const) {
    if (filters[field] && !isRealDay(filters[field])) {
      problems[field] = "Give a real date like 2024-05-31.";
    }
  }
  if (!problems.from && !problems.to && filters.from && filters.to && filters.from > filters.to) {
    problems.to = "This is before the From date: swap them.";
  }
  return problems;
}

export function hasProblems(problems: FilterProblems): boolean {
  return Object.keys(problems).length > 0;
}

function search(filters: ActivityFilters, extra: Record<string, number> = {}): string {
  const params = new URLSearchParams();
  for (const field of filterFields) {
    const value = filters[field].trim();
    if (value) params.set(field, value);
  }
  for (const [key, value] of Object.entries(extra)) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The page's own address for these filters; offset 0 is left out to keep links short. */
export function activityPagePath(filters: ActivityFilters, offset = 0): string {
  return `/activity${search(filters, offset > 0 ? { offset } : {})}`;
}

export function logsApiPath(
  filters: ActivityFilters,
  page: { limit: number; offset: number },
): string {
  return `/api/logs${search(filters, page)}`;
}

/** The CSV export of the same search: every matching row, not just this page. */
export function logsCsvHref(filters: ActivityFilters): string {
  return `/api/logs.csv${search(filters)}`;
}

export function isFiltered(filters: ActivityFilters): boolean {
  return filterFields.some((field) => filters[field] !== "");
}
