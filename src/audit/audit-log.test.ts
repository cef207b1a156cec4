import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StateStore } from "../state/state-store.js";
import { AuditLog, MAX_DETAIL_CHARS } from "./audit-log.js";

let dir: string;
let store: StateStore;
let clock: Date;
let errors: unknown[];
let log: AuditLog;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "photoferry-audit-"));
  store = StateStore.open(dir);
  clock = new Date("2026-03-01T12:00:00.000Z");
  errors = [];
  log = new AuditLog(store, {
    now: () => clock,
    logger: { error: (...args: unknown[]) => errors.push(args) },
  });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const at = (iso: string) => (clock = new Date(iso));

describe("AuditLog", () => {
  it("records entries and lists them newest first, with their detail", () => {
    log.record({ action: "login", actor: "session:admin", ip: "192.0.2.7" });
    at("2026-03-01T12:05:00.000Z");
    log.record({
      action: "config-change",
      actor: "header:alice",
      ip: "2001:db8::1",
      detail: { changes: [{ path: "schedule.cron", from: "0 3 * * *", to: "0 4 * * *" }] },
    });

    const page = log.list({ limit: 10, offset: 0 });
    expect(page.total).toBe(2);
    expect(page.items).toEqual([
      {
        id: 2,
        at: "2026-03-01T12:05:00.000Z",
        actor: "header:alice",
        ip: "2001:db8::1",
        action: "config-change",
        detail: { changes: [{ path: "schedule.cron", from: "0 3 * * *", to: "0 4 * * *" }] },
      },
      {
        id: 1,
        at: "2026-03-01T12:00:00.000Z",
        actor: "session:admin",
        ip: "192.0.2.7",
        action: "login",
        detail: null,
      },
    ]);
  });

  it("pages and filters by action; the total counts the filtered rows", () => {
    for (let i = 0; i < 5; i++) {
      log.record({ action: "login-failed", actor: "anonymous", ip: `192.0.2.${i}` });
      log.record({ action: "sync-trigger", actor: "open", ip: "127.0.0.1" });
    }
    const failed = log.list({ limit: 2, offset: 1, action: "login-failed" });
    expect(failed.total).toBe(5);
    expect(failed.items.map((item) => item.ip)).toEqual(["192.0.2.3", "192.0.2.2"]);
    expect(log.list({ limit: 100, offset: 0 }).total).toBe(10);
    expect(log.list({ limit: 10, offset: 0, action: "token-use" })).toEqual({
      items: [],
      total: 0,
    });
    expect(log.list({ limit: 10, offset: 50 }).items).toEqual([]);
  });

  it("prunes entries older than the given days and says how many went", () => {
    at("2026-01-01T00:00:00.000Z");
    log.record({ action: "login", actor: "session:admin", ip: "192.0.2.1" });
    at("2026-02-20T00:00:00.000Z");
    log.record({ action: "logout", actor: "session:admin", ip: "192.0.2.1" });
    at("2026-03-01T00:00:00.000Z");
    expect(log.prune(30)).toBe(1);
    expect(log.list({ limit: 10, offset: 0 }).items.map((item) => item.action)).toEqual(["logout"]);
    expect(log.prune(30)).toBe(0);
  });

  it("clips long names and shrinks an oversized detail to its keys", () => {
    log.record({
      action: "config-change",
      actor: `header:${"x".repeat(1000)}`,
      ip: "192.0.2.1",
      detail: { changes: ["y".repeat(MAX_DETAIL_CHARS)], origin: "api" },
    });
    const [item] = log.list({ limit: 1, offset: 0 }).items;
    expect(item!.actor.length).toBeLessThanOrEqual(201);
    expect(item!.detail).toEqual({
      truncated: true,
      originalChars: expect.any(Number) as unknown,
      keys: ["changes", "origin"],
    });
  });

  it("keeps entries readable across a reopen of the database", () => {
    log.record({ action: "token-create", actor: "session:admin", ip: "::1", detail: { id: 4 } });
    store.close();
    store = StateStore.open(dir);
    const reopened = new AuditLog(store);
    expect(reopened.list({ limit: 10, offset: 0 }).items[0]).toMatchObject({
      action: "token-create",
      detail: { id: 4 },
    });
  });

  it("reports a failed write instead of throwing: the admin action itself worked", () => {
    store.close();
    expect(() =>
      log.record({ action: "sync-pause", actor: "open", ip: "127.0.0.1" }),
    ).not.toThrow();
    expect(errors).toHaveLength(1);
    expect(JSON.stringify(errors[0])).toContain("sync-pause");
    // Reopened for afterEach's close.
    store = StateStore.open(dir);
  });
});
