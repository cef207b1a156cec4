/** setTimeout overflows above 2^31-1 ms; a day is the longest wait that makes sense anyway. */
export const MAX_DELAY_MS = 24 * 3600 * 1000;

const BACKOFF_BASE_MS = 5_000;
const BACKOFF_MAX_MS = 10 * 60 * 1000;

/** `Retry-After` as seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_DELAY_MS);
  // An HTTP date names its month; without this, Date.parse reads "-5" as a year.
  if (!/[A-Za-z]{3}/.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, date - nowMs), MAX_DELAY_MS);
}

/** 5 s, 10 s, 20 s, … at most 10 min, for failures that say nothing about when to retry. */
export function backoffMs(attempt: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1), BACKOFF_MAX_MS);
}
