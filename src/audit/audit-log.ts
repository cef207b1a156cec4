import type { Logger } from "pino";
import type { StateStore } from "../state/state-store.js";
import type { AuditAction, AuditEntry, AuditRecorder } from "./audit-recorder.js";

/** Every action, for validating `?action=` and for the API schema's enum. */
export const AUDIT_ACTIONS = [
  "login",
  "login-failed",
  "logout",
  "access-refused",
  "config-change",
  "sync-trigger",
  "sync-pause",
  "sync-resume",
  "notify-test",
  "token-create",
  "token-revoke",
  "token-use",
] as const satisfies readonly AuditAction[];

// Fails to compile when audit-recorder.ts gains an action this list does not have.
type MissingAction = Exclude<AuditAction, (typeof AUDIT_ACTIONS)[number]>;
const everyActionListed: [MissingAction] extends [never] ? true : MissingAction = true;
void everyActionListed;

export interface AuditQuery {
  limit: number;
  offset: number;
  action?: AuditAction;
}

export interface AuditItem {
  id: number;
  /** ISO 8601, UTC. */
  at: string;
  actor: string;
  ip: string;
  /** An `AuditAction`; a string, so entries written by a newer version still list. */
  action: string;
  detail: Record<string, unknown> | null;
}

export interface AuditPage {
  items: AuditItem[];
  total: number;
}

/**
 * What the API needs of the audit log: access control and routes record, the audit route
 * lists. `ApiDeps.audit` has this type; serve wires an `AuditLog` into it.
 */
export interface AuditStore extends AuditRecorder {
  list(query: AuditQuery): AuditPage;
}

export interface AuditLogOptions {
  now?: () => Date;
  /** Where a failed write is reported; recording never fails the request that triggered it. */
  logger?: Pick<Logger, "error">;
}

/** A huge config diff must not bloat the database; the entry stays, its detail shrinks. */
export const MAX_DETAIL_CHARS = 16_384;
const MAX_NAME_CHARS = 200;

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  ip: string;
  action: string;
  detail: string | null;
}

const DAY_MS = 86_400_000;

/**
 * The audit log of admin actions in the state database (`audit_log`, migration 6). Rows are
 * only added and, past `history.keepDays`, pruned; nothing edits them.
 */
export class AuditLog implements AuditStore {
  readonly #now: () => Date;
  readonly #logger: Pick<Logger, "error"> | undefined;

  constructor(
    private readonly store: StateStore,
    options: AuditLogOptions = {},
  ) {
    this.#now = options.now ?? (() => new Date());
    this.#logger = options.logger;
  }

  record(entry: AuditEntry): void {
    try {
      this.store.connection
        .prepare<[string, string, string, string, string | null]>(
          "INSERT INTO audit_log (at, actor, ip, action, detail) VALUES (?, ?, ?, ?, ?)",
        )
        .run(
          this.#now().toISOString(),
          clip(entry.actor),
          clip(entry.ip),
          entry.action,
          detailText(entry.detail),
        );
    } catch (error) {
      // An admin action that worked must not turn into a 500 because its record failed
      // (a full disk, a closed database during shutdown); the log line keeps the trace.
      this.#logger?.error(
        { err: error, audit: { action: entry.action, actor: entry.actor, ip: entry.ip } },
        "an audit log entry could not be written",
      );
    }
  }

  /** Newest first. */
  list({ limit, offset, action }: AuditQuery): AuditPage {
    const db = this.store.connection;
    const filter = action === undefined ? "" : "WHERE action = ?";
    const args = action === undefined ? [] : [action];
    const rows = db
      .prepare<unknown[], AuditRow>(
        `SELECT id, at, actor, ip, action, detail FROM audit_log ${filter} ORDER BY id DESC LIMIT ? OFFSET ?`,
      )
      .all(...args, limit, offset);
    const total = db
      .prepare<unknown[], { total: number }>(`SELECT COUNT(*) AS total FROM audit_log ${filter}`)
      .get(...args)!.total;
    return { items: rows.map(toItem), total };
  }

  /** Removes entries older than `olderThanDays` days; returns how many. */
  prune(olderThanDays: number): number {
    const cutoff = new Date(this.#now().getTime() - olderThanDays * DAY_MS).toISOString();
    return this.store.connection.prepare<[string]>("DELETE FROM audit_log WHERE at < ?").run(cutoff)
      .changes;
  }
}

function clip(text: string): string {
  return text.length > MAX_NAME_CHARS ? `${text.slice(0, MAX_NAME_CHARS)}…` : text;
}

function detailText(detail: Record<string, unknown> | undefined): string | null {
  if (detail === undefined) return null;
  const text = JSON.stringify(detail);
  if (text.length <= MAX_DETAIL_CHARS) return text;
  return JSON.stringify({
    truncated: true,
    originalChars: text.length,
    keys: Object.keys(detail).slice(0, 50),
  });
}

function toItem(row: AuditRow): AuditItem {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    ip: row.ip,
    action: row.action,
    detail: row.detail === null ? null : parseDetail(row.detail),
  };
}

function parseDetail(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : { value };
  } catch {
    return { unreadable: text.slice(0, 200) };
  }
}
