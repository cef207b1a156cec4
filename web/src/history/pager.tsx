import { describeWindow, pageWindow } from "./paging.js";

/**
 * Previous/next as links, so each page has its own address (back button, bookmarks) and
 * the app's router handles them without a reload.
 */
export function Pager(props: {
  total: number;
  limit: number;
  offset: number;
  noun: string;
  href: (offset: number) => string;
}) {
  const window = pageWindow(props.total, props.limit, props.offset);
  if (window.total === 0) return null;
  return (
    <nav class="pager" aria-label={`Pages of ${props.noun}`}>
      {window.previousOffset !== null ? (
        <a class="button" href={props.href(window.previousOffset)} rel="prev">
          ← Newer
        </a>
      ) : (
        <span />
      )}
      <span class="muted" aria-live="polite">
        {describeWindow(window, props.noun)}
      </span>
      {window.nextOffset !== null ? (
        <a class="button" href={props.href(window.nextOffset)} rel="next">
          Older →
        </a>
      ) : (
        <span />
      )}
    </nav>
  );
}
