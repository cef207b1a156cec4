import Fastify, { type FastifyInstance } from "fastify";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AuditLog } from "../../audit/audit-log.js";
import { StateStore } from "../../state/state-store.js";
import { errorReply } from "../error-reply.js";
import { registerAuditRoutes } from "./audit-routes.js";

let dir: string;
let store: StateStore;
let log: AuditLog;
let app: FastifyInstance;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "photoferry-audit-route-"));
  store = StateStore.open(dir);
  log = new AuditLog(store);
  app = Fastify({ ajv: { customOptions: { removeAdditional: false } } });
  // The same error replies as the real server, so the messages are the ones users see.
  app.setErrorHandler((error, _request, reply) => {
    const { status, body } = errorReply(error, { bodyLimit: 1024 });
    return reply.code(status).send(body);
  });
  registerAuditRoutes(app, { audit: log });
  await app.ready();
});
afterEach(async () => {
  await app.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("GET /api/audit", () => {
  it("lists entries newest first, pages, and filters by action", async () => {
    log.record({ action: "login", actor: "session:admin", ip: "192.0.2.1" });
    log.record({ action: "sync-trigger", actor: "session:admin", ip: "192.0.2.1" });
    log.record({
      action: "config-change",
      actor: "header:alice",
      ip: "2001:db8::5",
      detail: { changes: [{ path: "history.keepDays", from: 90, to: 30 }] },
    });

    const all = await app.inject("/api/audit");
    expect(all.statusCode).toBe(200);
    const body = all.json<{ items: { action: string }[]; total: number }>();
    expect(body.total).toBe(3);
    expect(body.items.map((item) => item.action)).toEqual([
      "config-change",
      "sync-trigger",
      "login",
    ]);
    expect(body.items[0]).toEqual({
      id: 3,
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
      actor: "header:alice",
      ip: "2001:db8::5",
      action: "config-change",
      detail: { changes: [{ path: "history.keepDays", from: 90, to: 30 }] },
    });

    const second = await app.inject("/api/audit?limit=1&offset=1");
    expect(second.json()).toMatchObject({ total: 3, limit: 1, offset: 1 });
    expect(second.json<{ items: { action: string }[] }>().items[0]!.action).toBe("sync-trigger");

    const logins = await app.inject("/api/audit?action=login");
    expect(logins.json()).toMatchObject({ total: 1, items: [{ action: "login", detail: null }] });
  });

  it("refuses an unknown action, bad paging and unknown parameters with 400", async () => {
    for (const query of ["action=drop-table", "limit=0", "limit=501", "offset=-1", "foo=1"]) {
      const response = await app.inject(`/api/audit?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json<{ error: string }>().error).toBeTruthy();
    }
  });
});
