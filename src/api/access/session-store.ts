import { randomBytes } from "node:crypto";
import type Database from "better-sqlite3";
import type { StateStore } from "../../state/state-store.js";
import { digestSecret, newSecret } from "./secret-digest.js";

/** No session outlives this, however active: a stolen cookie stops working eventually. */
export const SESSION_MAX_AGE_MS = 30 * 24 * 3_600_000;
/** `last_seen_at` is written at most this often, not on every poll of the UI. */
const TOUCH_EVERY_MS = 60_000;

const META_CSRF_KEY = "csrf_key";
const META_PASSWORD_FINGERPRINT = "session_password_fingerprint";

export interface Session {
  /** SHA-256 of the cookie's value; also the CSRF token's subject. */
  idHash: string;
  user: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

interface Row {
  id_hash: string;
  user: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

/**
 * Login sessions in SQLite, by the hash of their id only. Expiry is sliding: a session ends
 * after `idleMs` without a request, and in any case `SESSION_MAX_AGE_MS` after login.
 */
export class SessionStore {
  private readonly db: Database.Database;
  /** The key CSRF tokens are derived with (see csrf.ts); made once, kept across restarts. */
  readonly csrfKey: Buffer;

  constructor(private readonly store: StateStore) {
    this.db = store.connection;
    let key = store.getMeta(META_CSRF_KEY);
    if (key === undefined) {
      key = randomBytes(32).toString("hex");
      store.setMeta(META_CSRF_KEY, key);
    }
    this.csrfKey = Buffer.from(key, "hex");
  }

  /** A new session: the id goes into the cookie and is never stored or seen again. */
  create(user: string, now: number): { id: string; session: Session } {
    const id = newSecret();
    const session: Session = {
      idHash: digestSecret(id),
      user,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + SESSION_MAX_AGE_MS,
    };
    this.db
      .prepare(
        "INSERT INTO sessions (id_hash, user, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)",
      )
      .run(session.idHash, user, now, now, session.expiresAt);
    return { id, session };
  }

  /** The live session for a cookie value, its idle time renewed; expired ones are deleted. */
  find(id: string, now: number, idleMs: number): Session | undefined {
    const idHash = digestSecret(id);
    const row = this.db
      .prepare<[string], Row>("SELECT * FROM sessions WHERE id_hash = ?")
      .get(idHash);
    if (!row) return undefined;
    if (now >= row.expires_at || now - row.last_seen_at >= idleMs) {
      this.removeByHash(idHash);
      return undefined;
    }
    let lastSeenAt = row.last_seen_at;
    if (now - lastSeenAt >= TOUCH_EVERY_MS) {
      this.db.prepare("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?").run(now, idHash);
      lastSeenAt = now;
    }
    return {
      idHash,
      user: row.user,
      createdAt: row.created_at,
      lastSeenAt,
      expiresAt: row.expires_at,
    };
  }

  /** Whether a session still runs, without renewing its idle time (for long-lived streams). */
  isLive(idHash: string, now: number, idleMs: number): boolean {
    const row = this.db
      .prepare<[string], Row>("SELECT * FROM sessions WHERE id_hash = ?")
      .get(idHash);
    return row !== undefined && now < row.expires_at && now - row.last_seen_at < idleMs;
  }

  removeByHash(idHash: string): void {
    this.db.prepare("DELETE FROM sessions WHERE id_hash = ?").run(idHash);
  }

  /** Drops sessions past either limit; returns how many. */
  removeExpired(now: number, idleMs: number): number {
    return this.db
      .prepare("DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?")
      .run(now, now - idleMs).changes;
  }

  /**
   * Ends every session when the password changed since they were made (also while photoferry
   * was not running): whoever knew the old password must not stay logged in. `fingerprint`
   * identifies the password hash in use, or is null without a password.
   */
  bindToPassword(fingerprint: string | null): boolean {
    const value = fingerprint ?? "";
    const previous = this.store.getMeta(META_PASSWORD_FINGERPRINT);
    if (previous === value) return false;
    this.store.transaction(() => {
      this.db.prepare("DELETE FROM sessions").run();
      this.store.setMeta(META_PASSWORD_FINGERPRINT, value);
    });
    return previous !== undefined;
  }
}

/** Identifies a password hash without revealing anything usable about it. */
export function passwordFingerprint(passwordHash: string | null | undefined): string | null {
  return passwordHash ? digestSecret(`photoferry-session-binding:${passwordHash}`) : null;
}
