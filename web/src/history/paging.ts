/** Which rows a page shows and where its Previous/Next buttons lead (null: no such page). */
export interface PageWindow {
  /** 1-based number of the first row shown; 0 when there are none. */
  first: number;
  last: number;
  total: number;
  previousOffset: number | null;
  nextOffset: number | null;
}

export function pageWindow(total: number, limit: number, offset: number): PageWindow {
  const safeTotal = Math.max(0, Math.floor(total));
  const shown = Math.max(0, Math.min(limit, safeTotal - offset));
  const lastPageStart = safeTotal > 0 ? Math.floor((safeTotal - 1) / limit) * limit : 0;
  return {
    first: shown > 0 ? offset + 1 : 0,
    last: offset + shown,
    total: safeTotal,
    previousOffset: offset > 0 ? Math.max(0, Math.min(offset - limit, lastPageStart)) : null,
    nextOffset: offset + limit < safeTotal ? offset + limit : null,
  };
}

/**
 * `?offset=` from the page URL; anything but a whole number of zero or more (a hand-edited
 * link) means the first page rather than an error.
 */
export function offsetFromQuery(query: URLSearchParams): number {
  const raw = query.get("offset");
  if (raw === null || !/^\d{1,9}$/.test(raw)) return 0;
  return Number(raw);
}

/** "Runs 26–50 of 120"; "No runs" when there are none at all. */
export function describeWindow(window: PageWindow, noun: string): string {
  if (window.total === 0) return `No ${noun}`;
  if (window.first === 0) return `No ${noun} on this page`;
  return `${noun[0]?.toUpperCase() ?? ""}${noun.slice(1)} ${window.first.toLocaleString("en")}–${window.last.toLocaleString("en")} of ${window.total.toLocaleString("en")}`;
}
