import { randomBytes } from "node:crypto";
import type Database from "better-sqlite3";
import { digestSecret, newSecret } from "./secret-digest.js";

export type TokenScope = "read" | "write";

export interface ApiToken {
  id: string;
  name: string;
  scope: TokenScope;
  createdAt: number;
  lastUsedAt: number | null;
}

interface Row {
  id: string;
  name: string;
  scope: TokenScope;
  created_at: number;
  last_used_at: number | null;
}

/** Tokens start with this, so a leaked one is recognisable (and secret scanners can match it). */
export const TOKEN_PREFIX = "pft_";
/** `last_used_at` is written at most this often: a Prometheus scrape is not a database write. */
const MARK_USED_EVERY_MS = 60_000;

const fromRow = (row: Row): ApiToken => ({
  id: row.id,
  name: row.name,
  scope: row.scope,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
});

/** API tokens in SQLite: only the SHA-256 of each token is kept; the token is shown once. */
export class ApiTokenStore {
  constructor(private readonly db: Database.Database) {}

  create(name: string, scope: TokenScope, now: number): { token: ApiToken; secret: string } {
    const secret = newSecret(TOKEN_PREFIX);
    const token: ApiToken = {
      id: randomBytes(8).toString("hex"),
      name,
      scope,
      createdAt: now,
      lastUsedAt: null,
    };
    this.db
      .prepare(
        "INSERT INTO api_tokens (id, name, scope, token_hash, created_at) VALUES (?, ?, ?, ?, ?)",
      )
      .run(token.id, name, scope, digestSecret(secret), now);
    return { token, secret };
  }

  list(): ApiToken[] {
    return this.db
      .prepare<[], Row>(
        "SELECT id, name, scope, created_at, last_used_at FROM api_tokens ORDER BY created_at, id",
      )
      .all()
      .map(fromRow);
  }

  /** The token a bearer secret belongs to, or undefined for an unknown or revoked one. */
  findBySecret(secret: string): ApiToken | undefined {
    if (!secret.startsWith(TOKEN_PREFIX)) return undefined;
    const row = this.db
      .prepare<[string], Row>(
        "SELECT id, name, scope, created_at, last_used_at FROM api_tokens WHERE token_hash = ?",
      )
      .get(digestSecret(secret));
    return row && fromRow(row);
  }

  markUsed(token: ApiToken, now: number): void {
    if (token.lastUsedAt !== null && now - token.lastUsedAt < MARK_USED_EVERY_MS) return;
    this.db.prepare("UPDATE api_tokens SET last_used_at = ? WHERE id = ?").run(now, token.id);
  }

  /** Returns false when there is no such token (already revoked, or a wrong id). */
  revoke(id: string): boolean {
    return this.db.prepare("DELETE FROM api_tokens WHERE id = ?").run(id).changes > 0;
  }
}
