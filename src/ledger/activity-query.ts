import type { ActivityFilter } from "../service/service-contract.js";

/** A filter the API can pass straight through; bad values are refused in plain words. */
export class ActivityFilterError extends Error {
  override readonly name = "ActivityFilterError";
}

export interface ActivityQuery {
  runId?: number;
  userId?: string;
  name?: string;
  /** Lower-case hex. */
  hash?: string;
  /** Milliseconds, inclusive. */
  from?: number;
  to?: number;
  limit: number;
  offset: number;
}

export const MAX_ACTIVITY_PAGE = 1_000;
const DEFAULT_ACTIVITY_PAGE = 100;
const dateOnly = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/**
 * Checks and normalises a filter. A date without a time covers its whole day (UTC), so
 * `from: 2024-06-01, to: 2024-06-01` finds everything of that day.
 */
export function activityQuery(filter: ActivityFilter): ActivityQuery {
  const query: ActivityQuery = {
    limit: pageNumber(filter.limit, "limit", DEFAULT_ACTIVITY_PAGE, 1, MAX_ACTIVITY_PAGE),
    offset: pageNumber(filter.offset, "offset", 0, 0, Number.MAX_SAFE_INTEGER),
  };
  if (filter.userId) query.userId = filter.userId;
  if (filter.name) query.name = filter.name;
  if (filter.hash) {
    const hash = filter.hash.trim().toLowerCase();
    if (!/^[0-9a-f]{1,64}$/.test(hash))
      throw new ActivityFilterError(
        `hash '${filter.hash}' is not hexadecimal: give a SHA-256 or SHA-1, or its beginning`,
      );
    query.hash = hash;
  }
  if (filter.from) query.from = parseDate(filter.from, "from", false);
  if (filter.to) query.to = parseDate(filter.to, "to", true);
  return query;
}

function pageNumber(
  value: number | undefined,
  what: string,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max)
    throw new ActivityFilterError(`${what} must be a whole number from ${min} to ${max}`);
  return value;
}

function parseDate(text: string, what: string, endOfDay: boolean): number {
  const ms = Date.parse(dateOnly.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms))
    throw new ActivityFilterError(
      `${what} '${text}' is not a date: use an ISO date such as 2024-06-01 or 2024-06-01T12:00:00Z`,
    );
  return endOfDay && dateOnly.test(text) ? ms + DAY_MS - 1 : ms;
}

const likeEscape = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The WHERE clause (or "") and its parameters for an activity search. */
export function activityWhere(query: ActivityQuery): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (query.runId !== undefined) {
    clauses.push("run_id = ?");
    params.push(query.runId);
  }
  if (query.userId !== undefined) {
    clauses.push("user_id = ?");
    params.push(query.userId);
  }
  if (query.name !== undefined) {
    const pattern = `%${likeEscape(query.name)}%`;
    clauses.push("(source LIKE ? ESCAPE '\\' OR destination LIKE ? ESCAPE '\\')");
    params.push(pattern, pattern);
  }
  if (query.hash !== undefined) {
    clauses.push("(sha256 LIKE ? OR sha1 LIKE ?)");
    params.push(`${query.hash}%`, `${query.hash}%`);
  }
  if (query.from !== undefined) {
    clauses.push("at >= ?");
    params.push(query.from);
  }
  if (query.to !== undefined) {
    clauses.push("at <= ?");
    params.push(query.to);
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(" AND ")}` : "", params };
}
