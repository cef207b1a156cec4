import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StateStore } from "../../state/state-store.js";
import { digestSecret } from "./secret-digest.js";
import { SESSION_MAX_AGE_MS, SessionStore, passwordFingerprint } from "./session-store.js";

const HOUR = 3_600_000;
let dir: string;
let store: StateStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "photoferry-sessions-"));
  store = StateStore.open(dir);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const storedHashes = () =>
  store.connection
    .prepare<[], { id_hash: string }>("SELECT id_hash FROM sessions")
    .all()
    .map((row) => row.id_hash);

describe("SessionStore", () => {
  it("tells whether a session is live without renewing its idle time", () => {
    const sessions = new SessionStore(store);
    const { session } = sessions.create("admin", 0);
    expect(sessions.isLive(session.idHash, HOUR - 1, HOUR)).toBe(true);
    expect(sessions.isLive(session.idHash, HOUR - 1, HOUR)).toBe(true);
    // Not renewed by asking: an hour after creation it is idle for an hour.
    expect(sessions.isLive(session.idHash, HOUR, HOUR)).toBe(false);
    expect(sessions.isLive(digestSecret("made-up"), 1, HOUR)).toBe(false);
    sessions.removeByHash(session.idHash);
    expect(sessions.isLive(session.idHash, 1, HOUR)).toBe(false);
  });

  it("stores only the hash of a fresh random id, and finds the session by the id", () => {
    const sessions = new SessionStore(store);
    const first = sessions.create("admin", 1000);
    const second = sessions.create("admin", 1000);
    expect(first.id).not.toBe(second.id);
    expect(first.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(storedHashes().sort()).toEqual([digestSecret(first.id), digestSecret(second.id)].sort());
    expect(JSON.stringify(store.connection.prepare("SELECT * FROM sessions").all())).not.toContain(
      first.id,
    );
    expect(sessions.find(first.id, 2000, HOUR)).toMatchObject({ user: "admin", createdAt: 1000 });
    expect(sessions.find(first.session.idHash, 2000, HOUR)).toBeUndefined();
    expect(sessions.find("made-up", 2000, HOUR)).toBeUndefined();
  });

  it("ends a session after the idle time, sliding with use", () => {
    const sessions = new SessionStore(store);
    const { id } = sessions.create("admin", 0);
    expect(sessions.find(id, HOUR - 1, HOUR)?.lastSeenAt).toBe(HOUR - 1);
    expect(sessions.find(id, 2 * HOUR - 2, HOUR)).toBeDefined();
    expect(sessions.find(id, 3 * HOUR, HOUR)).toBeUndefined();
    expect(storedHashes()).toEqual([]);
  });

  it("ends even an active session at the absolute limit", () => {
    const sessions = new SessionStore(store);
    const { id } = sessions.create("admin", 0);
    for (let now = 23 * HOUR; now < SESSION_MAX_AGE_MS; now += 23 * HOUR) {
      expect(sessions.find(id, now, 24 * HOUR)).toBeDefined();
    }
    expect(sessions.find(id, SESSION_MAX_AGE_MS, 24 * HOUR)).toBeUndefined();
  });

  it("removes one session, or the expired ones", () => {
    const sessions = new SessionStore(store);
    const old = sessions.create("admin", 0);
    const fresh = sessions.create("admin", 5 * HOUR);
    expect(sessions.removeExpired(5 * HOUR, HOUR)).toBe(1);
    expect(sessions.find(old.id, 5 * HOUR, 10 * HOUR)).toBeUndefined();
    sessions.removeByHash(fresh.session.idHash);
    expect(sessions.find(fresh.id, 5 * HOUR, HOUR)).toBeUndefined();
  });

  it("keeps the CSRF key across restarts", () => {
    const key = new SessionStore(store).csrfKey;
    expect(key).toHaveLength(32);
    expect(new SessionStore(store).csrfKey.equals(key)).toBe(true);
  });

  it("ends every session when the password changes, also across restarts", () => {
    const sessions = new SessionStore(store);
    expect(sessions.bindToPassword(passwordFingerprint("$scrypt$a"))).toBe(false);
    const { id } = sessions.create("admin", 0);
    expect(sessions.bindToPassword(passwordFingerprint("$scrypt$a"))).toBe(false);
    expect(sessions.find(id, 1, HOUR)).toBeDefined();
    expect(new SessionStore(store).bindToPassword(passwordFingerprint("$scrypt$b"))).toBe(true);
    expect(sessions.find(id, 1, HOUR)).toBeUndefined();
    expect(passwordFingerprint(null)).toBeNull();
    expect(passwordFingerprint("$scrypt$a")).not.toContain("scrypt");
  });
});
