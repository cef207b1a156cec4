/** The admin actions the audit log keeps (issue 7); each names who, from where and what. */
export type AuditAction =
  | "login"
  | "login-failed"
  | "logout"
  | "access-refused"
  | "config-change"
  | "sync-trigger"
  | "sync-pause"
  | "sync-resume"
  | "notify-test"
  | "token-create"
  | "token-revoke"
  | "token-use";

export interface AuditEntry {
  action: AuditAction;
  /** `describePrincipal()` of the request, or "anonymous" for refused and failed attempts. */
  actor: string;
  /** The client address as access control resolved it (X-Forwarded-For only from trusted proxies). */
  ip: string;
  /** Never a secret's value: config diffs carry "(secret changed)" for secret keys. */
  detail?: Record<string, unknown>;
}

/** What routes and access control call; the SQLite-backed log implements it. */
export interface AuditRecorder {
  record(entry: AuditEntry): void;
}
