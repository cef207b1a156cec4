/** The audit log's actions (GET /api/audit `?action=`), with what each means on screen. */
export const auditActions = {
  login: "Signed in",
  "login-failed": "Wrong password",
  logout: "Signed out",
  "access-refused": "Access refused",
  "config-change": "Config changed",
  "sync-trigger": "Run started",
  "sync-pause": "Paused",
  "sync-resume": "Resumed",
  "notify-test": "Test notification",
  "token-create": "Token created",
  "token-revoke": "Token revoked",
  "token-use": "Token used",
} as const;
export type AuditActionName = keyof typeof auditActions;

export interface AuditItem {
  id: number;
  at: string;
  actor: string;
  ip: string;
  action: string;
  detail: Record<string, unknown> | null;
}

export interface AuditPage {
  items: AuditItem[];
  total: number;
}

/** A newer server may log actions this page does not know: show the raw name then. */
export function actionLabel(action: string): string {
  return Object.hasOwn(auditActions, action) ? auditActions[action as AuditActionName] : action;
}

export function isAuditAction(value: string): value is AuditActionName {
  return Object.hasOwn(auditActions, value);
}

const MAX_DETAIL = 240;

/**
 * The detail object as one readable line: `name: value` pairs, nested values as compact JSON,
 * cut at a length a table cell can hold (the full JSON is in the cell's title).
 */
export function detailText(detail: Record<string, unknown> | null): string {
  if (!detail) return "";
  const parts = Object.entries(detail).map(([key, value]) => {
    const shown =
      typeof value === "string"
        ? value
        : typeof value === "number" || typeof value === "boolean" || value === null
          ? String(value)
          : JSON.stringify(value);
    return `${key}: ${shown}`;
  });
  const line = parts.join(" · ");
  return line.length > MAX_DETAIL ? `${line.slice(0, MAX_DETAIL - 1)}…` : line;
}

export interface PageInfo {
  /** 1-based. */
  page: number;
  pages: number;
  first: number;
  last: number;
  hasPrevious: boolean;
  hasNext: boolean;
}

/** Which rows an offset shows, in words a pager needs ("21–40 of 57"). */
export function pageInfo(offset: number, limit: number, total: number, shown: number): PageInfo {
  const safeLimit = Math.max(1, limit);
  const pages = Math.max(1, Math.ceil(total / safeLimit));
  const page = Math.min(pages, Math.floor(Math.max(0, offset) / safeLimit) + 1);
  return {
    page,
    pages,
    first: shown === 0 ? 0 : offset + 1,
    last: offset + shown,
    hasPrevious: offset > 0,
    hasNext: offset + shown < total,
  };
}

/** `/api/audit?…` for a page and an optional action filter. */
export function auditPath(offset: number, limit: number, action: string): string {
  const search = new URLSearchParams({ limit: String(limit), offset: String(Math.max(0, offset)) });
  if (action !== "" && isAuditAction(action)) search.set("action", action);
  return `/api/audit?${search.toString()}`;
}
