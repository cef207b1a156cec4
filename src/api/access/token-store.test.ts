import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StateStore } from "../../state/state-store.js";
import { digestSecret } from "./secret-digest.js";
import { ApiTokenStore, TOKEN_PREFIX } from "./token-store.js";

let dir: string;
let store: StateStore;
let tokens: ApiTokenStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "photoferry-tokens-"));
  store = StateStore.open(dir);
  tokens = new ApiTokenStore(store.connection);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("ApiTokenStore", () => {
  it("hands out a 32-byte random token once and stores only its SHA-256", () => {
    const { token, secret } = tokens.create("prometheus", "read", 1000);
    expect(secret).toMatch(new RegExp(`^${TOKEN_PREFIX}[A-Za-z0-9_-]{43}$`));
    expect(token).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{16}$/) as string,
      name: "prometheus",
      scope: "read",
      createdAt: 1000,
      lastUsedAt: null,
    });
    const rows = JSON.stringify(store.connection.prepare("SELECT * FROM api_tokens").all());
    expect(rows).not.toContain(secret);
    expect(rows).not.toContain(secret.slice(TOKEN_PREFIX.length));
    expect(rows).toContain(digestSecret(secret));
    expect(tokens.findBySecret(secret)).toEqual(token);
  });

  it("finds nothing for unknown, altered or unprefixed secrets", () => {
    const { secret } = tokens.create("a", "write", 1);
    expect(tokens.findBySecret(`${secret}x`)).toBeUndefined();
    expect(tokens.findBySecret(secret.slice(TOKEN_PREFIX.length))).toBeUndefined();
    expect(tokens.findBySecret(digestSecret(secret))).toBeUndefined();
    expect(tokens.findBySecret("")).toBeUndefined();
  });

  it("lists in creation order, marks use at most once a minute and revokes", () => {
    const a = tokens.create("a", "read", 1);
    const b = tokens.create("b", "write", 2);
    expect(tokens.list().map((token) => token.name)).toEqual(["a", "b"]);
    tokens.markUsed(a.token, 10_000);
    const used = tokens.findBySecret(a.secret)!;
    expect(used.lastUsedAt).toBe(10_000);
    tokens.markUsed(used, 50_000);
    expect(tokens.findBySecret(a.secret)?.lastUsedAt).toBe(10_000);
    tokens.markUsed(used, 70_000);
    expect(tokens.findBySecret(a.secret)?.lastUsedAt).toBe(70_000);
    expect(tokens.revoke(a.token.id)).toBe(true);
    expect(tokens.revoke(a.token.id)).toBe(false);
    expect(tokens.findBySecret(a.secret)).toBeUndefined();
    expect(tokens.list().map((token) => token.id)).toEqual([b.token.id]);
  });

  it("refuses a scope other than read or write at the database too", () => {
    expect(() =>
      store.connection
        .prepare(
          "INSERT INTO api_tokens (id, name, scope, token_hash, created_at) VALUES ('x', 'x', 'admin', 'h', 1)",
        )
        .run(),
    ).toThrow(/CHECK/);
  });
});
