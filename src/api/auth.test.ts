import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntry } from "../audit/audit-recorder.js";
import { hashPassword } from "../auth/password-hash.js";
import { ConfigFile } from "../config/config-file.js";
import { ConfigService } from "../config/config-service.js";
import { createLogger } from "../logging/logger.js";
import type { PhotoferryService } from "../service/service-contract.js";
import { StateStore } from "../state/state-store.js";
import { exampleConfigText } from "../test-support/example-config.js";
import { fakeSecretEnvironment } from "../test-support/secret-environment.js";
import { SessionStore } from "./access/session-store.js";
import { ApiTokenStore } from "./access/token-store.js";
import { buildApiServer } from "./server.js";

const PASSWORD = "correct horse battery";
let passwordHash = "";
beforeAll(async () => {
  passwordHash = await hashPassword(PASSWORD, { ln: 4 });
});

/** Just what the routes touch while these tests run. */
const service = {
  status: () => ({
    state: "idle",
    version: "1.0.0",
    startedAt: "2026-03-01T11:00:00.000Z",
    paused: false,
    current: null,
    queueLength: 0,
    nextRuns: [],
    lastRun: null,
    totals: { runs: 0, moved: 0, duplicates: 0, failed: 0, bytes: 0 },
    recentErrors: [],
  }),
  subscribe: () => () => undefined,
  runs: () => ({ items: [], total: 0 }),
  pause: () => undefined,
  trigger: () => ({ queued: true, queueLength: 1 }),
} as unknown as PhotoferryService;

interface World {
  app: FastifyInstance;
  config: ConfigService;
  configPath: string;
  audit: AuditEntry[];
  delays: number[];
  logs: string[];
  clock: { now: number };
  close(): Promise<void>;
}
let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** A server on the example config with `web` replaced by `webYaml` (indented two spaces). */
async function start(webYaml: string): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), "photoferry-auth-"));
  const configPath = join(dir, "photoferry.yaml");
  const text = exampleConfigText().replace(/^web:\n(?: {2}.*\n)+/m, `web:\n${webYaml}\n`);
  writeFileSync(configPath, text);
  const logs: string[] = [];
  const logger = createLogger({
    level: "debug",
    destination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(chunk.toString());
        done();
      },
    }),
  });
  const config = new ConfigService({
    file: new ConfigFile(configPath),
    logger,
    env: {},
    secretEnvironment: fakeSecretEnvironment({
      "/run/secrets/photoprism_token": "pp-token-1234567",
      "/run/secrets/ntfy_token": "ntfy-token-1234567",
      "/run/secrets/ssh_key": "key",
    }),
    watchFile: () => ({ ready: Promise.resolve(), close: () => Promise.resolve() }),
  });
  await config.start();
  const store = StateStore.open(join(dir, "state"));
  const audit: AuditEntry[] = [];
  const delays: number[] = [];
  const clock = { now: Date.parse("2026-03-01T12:00:00Z") };
  const app = await buildApiServer(
    {
      service,
      config,
      logger,
      version: "1.0.0",
      notifier: { test: () => Promise.resolve({ ok: true, detail: "sent" }) },
      checks: { nextcloud: () => Promise.resolve([]), photoprism: () => Promise.resolve([]) },
      audit: { record: (entry) => audit.push(entry), list: () => ({ items: [], total: 0 }) },
      sessions: new SessionStore(store),
      tokens: new ApiTokenStore(store.connection),
    },
    {
      now: () => clock.now,
      sseHeartbeatMs: 20,
      sleep: (ms) => {
        delays.push(ms);
        return Promise.resolve();
      },
    },
  );
  return {
    app,
    config,
    configPath,
    audit,
    delays,
    logs,
    clock,
    close: async () => {
      await app.close();
      await config.stop();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const withPassword = () => `  auth:\n    passwordHash: "${passwordHash}"`;
const ORIGIN = "http://photoferry.lan:8080";
const browser = { host: "photoferry.lan:8080", origin: ORIGIN };

const cookieOf = (response: LightMyRequestResponse) =>
  response.cookies.find((cookie) => cookie.name === "pf_session");

async function login(w: World, headers: Record<string, string> = browser) {
  const response = await w.app.inject({
    method: "POST",
    url: "/api/login",
    headers,
    payload: { password: PASSWORD },
  });
  expect(response.statusCode, response.body).toBe(200);
  const body = response.json<{ csrfToken: string }>();
  return { cookie: `pf_session=${cookieOf(response)!.value}`, csrf: body.csrfToken, response };
}

const inject = (options: InjectOptions) => world!.app.inject(options);

describe("with a password", () => {
  it("lets only probes, the session endpoints and the UI through before login", async () => {
    world = await start(withPassword());
    for (const url of [
      "/api/status",
      "/metrics",
      "/api/docs/",
      "/api/docs/openapi.json",
      "/api/nope",
    ]) {
      const response = await inject({ url });
      expect(response.statusCode, url).toBe(401);
      expect(response.json(), url).toEqual({
        error: "unauthorized",
        message: expect.any(String) as unknown,
      });
    }
    // The router decodes %XX: every spelling of a route is that route.
    for (const [method, url] of [
      ["GET", "/%61pi/status"],
      ["HEAD", "/%61pi/config"],
      ["GET", "/%61pi/tokens"],
      ["POST", "/%61pi/tokens"],
      ["GET", "/%6detrics"],
      ["GET", "/%61pi/events"],
      ["GET", "/api/%74okens"],
      ["GET", "/%61pi/nope"],
    ] as const) {
      const response = await inject({ method, url, payload: method === "POST" ? {} : undefined });
      expect(response.statusCode, `${method} ${url}`).toBe(401);
    }
    expect((await inject({ url: "/healthz" })).statusCode).toBe(200);
    expect((await inject({ url: "/", headers: { accept: "text/html" } })).statusCode).toBe(200);
    const session = await inject({ url: "/api/session" });
    expect(session.json()).toEqual({
      authenticated: false,
      method: null,
      passwordRequired: true,
      user: null,
      canWrite: false,
      csrfToken: null,
    });
    const write = await inject({ method: "POST", url: "/api/sync/pause", headers: browser });
    expect(write.statusCode).toBe(401);
    expect(world.audit).toEqual([]);
  });

  it("logs in with a strict cookie and a fresh session id each time; refuses a wrong password", async () => {
    world = await start(withPassword());
    const wrong = await inject({
      method: "POST",
      url: "/api/login",
      headers: browser,
      payload: { password: "wrong" },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ error: "unauthorized" });
    expect(cookieOf(wrong)).toBeUndefined();

    const first = await login(world);
    const cookie = cookieOf(first.response)!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/" });
    expect(cookie.secure).toBeUndefined();
    expect(first.response.headers["cache-control"]).toBe("no-store");
    expect(first.response.json()).toEqual({
      authenticated: true,
      method: "session",
      passwordRequired: true,
      user: "admin",
      canWrite: true,
      csrfToken: first.csrf,
    });

    const status = await inject({ url: "/api/status", headers: { cookie: first.cookie } });
    expect(status.statusCode).toBe(200);
    const second = await login(world, { ...browser, cookie: first.cookie });
    expect(second.cookie).not.toBe(first.cookie);
    expect(second.csrf).not.toBe(first.csrf);
    expect(
      (await inject({ url: "/api/status", headers: { cookie: first.cookie } })).statusCode,
    ).toBe(401);
    expect(world.audit.map((entry) => `${entry.action} ${entry.actor} ${entry.ip}`)).toEqual([
      "login-failed anonymous 127.0.0.1",
      "login session:admin 127.0.0.1",
      "login session:admin 127.0.0.1",
    ]);
  });

  it("needs the CSRF token and the own origin for writes with the cookie", async () => {
    world = await start(withPassword());
    const { cookie, csrf } = await login(world);
    const pause = (headers: Record<string, string>) =>
      inject({ method: "POST", url: "/api/sync/pause", headers: { ...headers, cookie } });
    const noToken = await pause({ host: browser.host });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json()).toMatchObject({
      error: "forbidden",
      message: expect.stringMatching(/X-CSRF-Token/) as unknown,
    });
    expect((await pause({ ...browser, "x-csrf-token": "nope" })).statusCode).toBe(403);
    const evil = await pause({
      host: browser.host,
      origin: "https://evil.example",
      "x-csrf-token": csrf,
    });
    expect(evil.statusCode).toBe(403);
    expect(evil.json<{ message: string }>().message).toMatch(/another site/);
    expect(
      (await pause({ host: browser.host, origin: "null", "x-csrf-token": csrf })).statusCode,
    ).toBe(403);
    expect((await pause({ ...browser, "x-csrf-token": csrf })).statusCode).toBe(200);
    expect(world.audit.filter((entry) => entry.action === "access-refused").length).toBeGreaterThan(
      0,
    );
  });

  it("ends the session on logout", async () => {
    world = await start(withPassword());
    const { cookie, csrf } = await login(world);
    const out = await inject({
      method: "POST",
      url: "/api/logout",
      headers: { ...browser, cookie, "x-csrf-token": csrf },
    });
    expect(out.statusCode).toBe(204);
    expect(cookieOf(out)).toMatchObject({ value: "" });
    expect((await inject({ url: "/api/status", headers: { cookie } })).statusCode).toBe(401);
    expect(world.audit.at(-1)).toMatchObject({ action: "logout", actor: "session:admin" });
  });

  it("expires an idle session and keeps a used one", async () => {
    world = await start(`${withPassword()}\n    sessionHours: 1`);
    const { cookie } = await login(world);
    world.clock.now += 50 * 60_000;
    expect((await inject({ url: "/api/status", headers: { cookie } })).statusCode).toBe(200);
    world.clock.now += 50 * 60_000;
    expect((await inject({ url: "/api/status", headers: { cookie } })).statusCode).toBe(200);
    world.clock.now += 61 * 60_000;
    expect((await inject({ url: "/api/status", headers: { cookie } })).statusCode).toBe(401);
  });

  it("slows down and then refuses a client guessing passwords, not its neighbour", async () => {
    world = await start(withPassword());
    const guess = (remoteAddress: string) =>
      inject({ method: "POST", url: "/api/login", remoteAddress, payload: { password: "guess" } });
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await guess("198.51.100.9")).statusCode);
    expect(statuses).toEqual([...Array<number>(10).fill(401), 429]);
    expect(world.delays).toEqual([250, 500, 1000, 2000, 4000, 4000, 4000, 4000, 4000]);
    const refused = await guess("198.51.100.9");
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
    expect(refused.json()).toMatchObject({ error: "too-many-requests" });
    expect((await guess("198.51.100.10")).statusCode).toBe(401);
    const friend = await inject({
      method: "POST",
      url: "/api/login",
      remoteAddress: "198.51.100.11",
      payload: { password: PASSWORD },
    });
    expect(friend.statusCode).toBe(200);
    expect((await guess("198.51.100.9")).statusCode).toBe(429);
    world.clock.now += 15 * 60_000;
    expect((await guess("198.51.100.9")).statusCode).toBe(401);
  });

  it("counts parallel wrong logins: they cannot all pass the throttle at once", async () => {
    world = await start(withPassword());
    const guesses = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        inject({
          method: "POST",
          url: "/api/login",
          remoteAddress: "198.51.100.9",
          payload: { password: `guess-${i}` },
        }),
      ),
    );
    const statuses = guesses.map((reply) => reply.statusCode);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(10);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(50);
    expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
  });

  it("checks at most two passwords at once across all clients", async () => {
    world = await start(withPassword());
    const guesses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        inject({
          method: "POST",
          url: "/api/login",
          remoteAddress: `198.51.100.${i + 1}`,
          payload: { password: `guess-${i}` },
        }),
      ),
    );
    const busyIndex = guesses.findIndex((reply) => reply.statusCode === 429);
    expect(busyIndex).toBeGreaterThanOrEqual(0);
    expect(guesses[busyIndex]!.json<{ message: string }>().message).toMatch(
      /too many logins at once/,
    );
    world.delays.length = 0;
    // A busy answer checked no password, so it costs the client nothing: no wait next time.
    const retry = await inject({
      method: "POST",
      url: "/api/login",
      remoteAddress: `198.51.100.${busyIndex + 1}`,
      payload: { password: PASSWORD },
    });
    expect(world.delays).toEqual([]);
    expect(retry.statusCode).toBe(200);
  });

  it("throttles an IPv6 guesser by its /64, not by each address it rotates through", async () => {
    world = await start(withPassword());
    const statuses: number[] = [];
    for (let i = 1; i <= 11; i++) {
      const reply = await inject({
        method: "POST",
        url: "/api/login",
        remoteAddress: `2001:db8:1:2::${i.toString(16)}`,
        payload: { password: "guess" },
      });
      statuses.push(reply.statusCode);
    }
    expect(statuses).toEqual([...Array<number>(10).fill(401), 429]);
    const otherNetwork = await inject({
      method: "POST",
      url: "/api/login",
      remoteAddress: "2001:db8:1:3::1",
      payload: { password: "guess" },
    });
    expect(otherNetwork.statusCode).toBe(401);
  });

  it("does not let one client flood the audit log", async () => {
    world = await start(
      `${withPassword()}\n  allow: ['2001:db8::/32', 127.0.0.1, 198.51.100.0/24]`,
    );
    const { cookie, csrf } = await login(world);
    for (let i = 0; i < 100; i++) {
      const refused = await inject({
        method: "POST",
        url: "/api/sync/pause",
        headers: {
          cookie,
          host: browser.host,
          origin: `https://evil-${i}.example`,
          "x-csrf-token": csrf,
        },
      });
      expect(refused.statusCode).toBe(403);
    }
    for (let i = 1; i <= 100; i++) {
      const outside = await inject({
        url: "/api/status",
        remoteAddress: `2001:db9:1:2::${i.toString(16)}`,
      });
      expect(outside.statusCode).toBe(403);
    }
    for (let i = 0; i < 10; i++) {
      await inject({
        method: "POST",
        url: "/api/login",
        remoteAddress: "198.51.100.9",
        payload: { password: `guess-${i}` },
      });
    }
    const count = (action: string) => world!.audit.filter((entry) => entry.action === action);
    const refusals = count("access-refused");
    expect(refusals.filter((entry) => entry.ip === "127.0.0.1")).toHaveLength(1);
    expect(refusals.filter((entry) => entry.ip.startsWith("2001:db9:1:2::"))).toHaveLength(1);
    expect(count("login-failed").length).toBeGreaterThan(0);
    expect(count("login-failed").length).toBeLessThanOrEqual(3);
  });

  it("ends every session when the password changes in the config", async () => {
    world = await start(withPassword());
    const { cookie } = await login(world);
    const other = await hashPassword("another password", { ln: 4 });
    const { hash } = world.config.current.snapshot;
    world.config.update([{ path: ["web", "auth", "passwordHash"], value: other }], hash);
    expect((await inject({ url: "/api/status", headers: { cookie } })).statusCode).toBe(401);
  });
});

describe("API tokens", () => {
  it("are made by a session, shown once, scoped and revocable", async () => {
    world = await start(withPassword());
    const { cookie, csrf } = await login(world);
    const admin = { ...browser, cookie, "x-csrf-token": csrf };
    const make = async (name: string, scope: string) => {
      const response = await inject({
        method: "POST",
        url: "/api/tokens",
        headers: admin,
        payload: { name, scope },
      });
      expect(response.statusCode, response.body).toBe(201);
      return response.json<{ id: string; token: string; createdAt: string }>();
    };
    const reader = await make("prometheus", "read");
    world.clock.now += 1000;
    const writer = await make("script", "write");
    expect(reader.createdAt).toBe("2026-03-01T12:00:00.000Z");
    const list = await inject({ url: "/api/tokens", headers: { cookie } });
    expect(list.json<{ items: unknown[] }>().items).toEqual([
      {
        id: reader.id,
        name: "prometheus",
        scope: "read",
        createdAt: reader.createdAt,
        lastUsedAt: null,
      },
      {
        id: writer.id,
        name: "script",
        scope: "write",
        createdAt: writer.createdAt,
        lastUsedAt: null,
      },
    ]);
    expect(list.body).not.toContain(reader.token);

    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    expect((await inject({ url: "/metrics", headers: bearer(reader.token) })).statusCode).toBe(200);
    const readWrite = await inject({
      method: "POST",
      url: "/api/sync/pause",
      headers: bearer(reader.token),
    });
    expect(readWrite.statusCode).toBe(403);
    expect(readWrite.json<{ message: string }>().message).toMatch(/only read/);
    expect(
      (await inject({ method: "POST", url: "/api/sync/pause", headers: bearer(writer.token) }))
        .statusCode,
    ).toBe(200);
    for (const token of [reader.token, writer.token]) {
      const mint = await inject({
        method: "POST",
        url: "/api/tokens",
        headers: bearer(token),
        payload: { name: "x", scope: "write" },
      });
      expect(mint.statusCode).toBe(403);
      const encodedMint = await inject({
        method: "POST",
        url: "/%61pi/tokens",
        headers: bearer(token),
        payload: { name: "x", scope: "write" },
      });
      expect(encodedMint.statusCode).toBe(403);
      expect((await inject({ url: "/api/tokens", headers: bearer(token) })).statusCode).toBe(403);
    }

    const editConfig = (path: string[], value: unknown) =>
      inject({
        method: "PUT",
        url: "/api/config",
        headers: bearer(writer.token),
        payload: { baseHash: world!.config.current.snapshot.hash, edits: [{ path, value }] },
      });
    const hashBefore = world.config.current.snapshot.hash;
    for (const [path, value] of [
      [["web", "auth", "passwordHash"], passwordHash],
      [["web", "allow"], ["0.0.0.0/0"]],
      [["web", "trustedProxies"], ["0.0.0.0/0"]],
      [["web", "auth", "trustedHeader"], "X-Evil"],
      [["web"], { port: 1 }],
    ] as const) {
      const takeover = await editConfig([...path], value);
      expect(takeover.statusCode, path.join(".")).toBe(403);
      expect(takeover.json<{ message: string }>().message).toMatch(/cannot change the web section/);
    }
    expect(world.config.current.snapshot.hash).toBe(hashBefore);

    const revoke = await inject({
      method: "DELETE",
      url: `/api/tokens/${writer.id}`,
      headers: admin,
    });
    expect(revoke.statusCode).toBe(204);
    expect(
      (await inject({ method: "DELETE", url: `/api/tokens/${writer.id}`, headers: admin }))
        .statusCode,
    ).toBe(404);
    const revoked = await inject({ url: "/api/status", headers: bearer(writer.token) });
    expect(revoked.statusCode).toBe(401);
    expect((await inject({ url: "/healthz", headers: bearer("pft_made-up") })).statusCode).toBe(
      401,
    );
    const actions = world.audit.map((entry) => `${entry.action} ${entry.actor}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        "token-create session:admin",
        "token-use token:prometheus",
        "token-use token:script",
        "token-revoke session:admin",
      ]),
    );
    expect(actions.filter((action) => action === "token-use token:prometheus")).toHaveLength(1);
    expect(JSON.stringify(world.audit)).not.toContain(reader.token);
  });
});

describe("event streams", () => {
  /** Opens /api/events; the promise settles only when the server ends the stream. */
  const openStream = (headers: Record<string, string>) => inject({ url: "/api/events", headers });

  it("end after logout", { timeout: 5000 }, async () => {
    world = await start(withPassword());
    const { cookie, csrf } = await login(world);
    const stream = openStream({ cookie });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const out = await inject({
      method: "POST",
      url: "/api/logout",
      headers: { ...browser, cookie, "x-csrf-token": csrf },
    });
    expect(out.statusCode).toBe(204);
    const ended = await stream;
    expect(ended.statusCode).toBe(200);
    expect(ended.body).toContain("event: state");
  });

  it("end after the token is revoked or the password changes", { timeout: 5000 }, async () => {
    world = await start(withPassword());
    const { cookie, csrf } = await login(world);
    const made = await inject({
      method: "POST",
      url: "/api/tokens",
      headers: { ...browser, cookie, "x-csrf-token": csrf },
      payload: { name: "watcher", scope: "read" },
    });
    const { id, token } = made.json<{ id: string; token: string }>();
    const tokenStream = openStream({ authorization: `Bearer ${token}` });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const revoke = await inject({
      method: "DELETE",
      url: `/api/tokens/${id}`,
      headers: { ...browser, cookie, "x-csrf-token": csrf },
    });
    expect(revoke.statusCode).toBe(204);
    expect((await tokenStream).body).toContain("event: state");

    const sessionStream = openStream({ cookie });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const other = await hashPassword("another password", { ln: 4 });
    const { hash } = world.config.current.snapshot;
    world.config.update([{ path: ["web", "auth", "passwordHash"], value: other }], hash);
    expect((await sessionStream).body).toContain("event: state");
  });

  it("keep running while the login is valid", { timeout: 5000 }, async () => {
    world = await start(withPassword());
    const { cookie } = await login(world);
    let ended = false;
    void openStream({ cookie }).then(() => {
      ended = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ended).toBe(false);
  });
});

describe("allow-list and proxies", () => {
  it("refuses clients outside web.allow before anything else, IPv4-mapped included", async () => {
    world = await start("  allow: [10.0.0.0/8, 'fd00::/8']\n  trustedProxies: [10.9.9.9]");
    const from = (remoteAddress: string, headers: Record<string, string> = {}) =>
      inject({ url: "/api/status", remoteAddress, headers });
    expect((await from("10.1.2.3")).statusCode).toBe(200);
    expect((await from("::ffff:10.1.2.3")).statusCode).toBe(200);
    expect((await from("fd00::5")).statusCode).toBe(200);
    const outside = await from("192.168.1.5", { "x-forwarded-for": "10.1.2.3" });
    expect(outside.statusCode).toBe(403);
    expect(outside.json()).toEqual({
      error: "forbidden",
      message: "this address (192.168.1.5) is not in web.allow",
    });
    expect((await from("10.9.9.9", { "x-forwarded-for": "192.168.1.5" })).statusCode).toBe(403);
    expect(
      (await from("10.9.9.9", { "x-forwarded-for": "192.168.1.5, 10.1.2.3" })).statusCode,
    ).toBe(200);
    // A malformed entry from the proxy is not the proxy's own (allowed) address.
    for (const forwarded of ["192.168.1.5:5678", "[2001:db8::1]:443", "unknown"]) {
      const malformed = await from("10.9.9.9", { "x-forwarded-for": forwarded });
      expect(malformed.statusCode, forwarded).toBe(403);
    }
    expect((await from("10.9.9.9", { "x-forwarded-for": "10.1.2.3:5678" })).statusCode).toBe(200);
    expect((await inject({ url: "/healthz", remoteAddress: "192.168.1.5" })).statusCode).toBe(403);
    // Docker's HEALTHCHECK asks from inside the container; nothing else is open to loopback.
    expect((await inject({ url: "/healthz", remoteAddress: "127.0.0.1" })).statusCode).toBe(200);
    expect((await inject({ url: "/healthz", remoteAddress: "::1" })).statusCode).toBe(200);
    expect((await inject({ url: "/api/status", remoteAddress: "127.0.0.1" })).statusCode).toBe(403);
    const big = await inject({
      method: "PUT",
      url: "/api/config",
      remoteAddress: "192.168.1.5",
      payload: "x".repeat(300_000),
      headers: { "content-type": "application/json" },
    });
    expect(big.statusCode).toBe(403);
    expect(world.logs.join("")).toContain("refused a client outside web.allow");
    expect(world.audit[0]).toMatchObject({ action: "access-refused", ip: "192.168.1.5" });
  });

  it("applies allow-list edits without a restart", async () => {
    world = await start("  allow: []");
    expect((await inject({ url: "/api/status", remoteAddress: "192.168.1.5" })).statusCode).toBe(
      200,
    );
    const { hash } = world.config.current.snapshot;
    world.config.update([{ path: ["web", "allow"], value: ["10.0.0.0/8"] }], hash);
    expect((await inject({ url: "/api/status", remoteAddress: "192.168.1.5" })).statusCode).toBe(
      403,
    );
  });

  it("believes the trusted header and X-Forwarded-Proto only from a trusted proxy", async () => {
    world = await start(
      `${withPassword()}\n    trustedHeader: Remote-User\n  trustedProxies: [172.16.0.0/12]`,
    );
    const proxied = { "remote-user": "alice", host: browser.host };
    const session = await inject({
      url: "/api/session",
      remoteAddress: "172.18.0.2",
      headers: proxied,
    });
    expect(session.json()).toMatchObject({
      authenticated: true,
      method: "header",
      user: "alice",
      canWrite: true,
    });
    expect(session.json<{ csrfToken: string }>().csrfToken).toMatch(/^[\w-]{43}$/);
    expect(
      (await inject({ url: "/api/status", remoteAddress: "198.51.100.1", headers: proxied }))
        .statusCode,
    ).toBe(401);
    const direct = await login(world, { ...browser, "x-forwarded-proto": "https" });
    expect(cookieOf(direct.response)!.secure).toBeUndefined();
    const behindTls = await inject({
      method: "POST",
      url: "/api/login",
      remoteAddress: "172.18.0.2",
      headers: { "x-forwarded-proto": "https", "x-forwarded-for": "198.51.100.7" },
      payload: { password: PASSWORD },
    });
    expect(cookieOf(behindTls)!.secure).toBe(true);
    expect(world.audit.at(-1)).toMatchObject({ action: "login", ip: "198.51.100.7" });
  });
});

describe("without a password", () => {
  it("accepts the public origin a trusted proxy names in X-Forwarded-Host, from it only", async () => {
    world = await start("  allow: []\n  trustedProxies: [172.16.0.0/12]");
    const { csrfToken } = (await inject({ url: "/api/session" })).json<{ csrfToken: string }>();
    const pause = (remoteAddress: string) =>
      inject({
        method: "POST",
        url: "/api/sync/pause",
        remoteAddress,
        headers: {
          host: "photoferry:8080",
          "x-forwarded-host": "photos.example.org",
          origin: "https://photos.example.org",
          "x-csrf-token": csrfToken,
        },
      });
    expect((await pause("172.18.0.2")).statusCode).toBe(200);
    expect((await pause("198.51.100.1")).statusCode).toBe(403);
  });

  it("refuses browsers that reach it under an unknown name (DNS rebinding)", async () => {
    world = await start("  allow: []");
    const rebound = { host: "evil.example:8080", referer: "http://evil.example:8080/" };
    const session = await inject({ url: "/api/session", headers: rebound });
    expect(session.statusCode).toBe(403);
    expect(session.json<{ message: string }>().message).toMatch(/notify\.uiUrl/);
    // A page can drop Origin and Referer, but not Sec-Fetch-Site.
    const bare = await inject({
      url: "/api/session",
      headers: { host: "evil.example:8080", "sec-fetch-site": "same-origin" },
    });
    expect(bare.statusCode).toBe(403);
    const write = await inject({
      method: "POST",
      url: "/api/sync/pause",
      headers: { host: "evil.example:8080", origin: "http://evil.example:8080" },
    });
    expect(write.statusCode).toBe(403);
    for (const host of ["127.0.0.1:8080", "localhost:8080", "[::1]:8080", "192.168.1.5"]) {
      const own = await inject({
        url: "/api/session",
        headers: { host, referer: `http://${host}/` },
      });
      expect(own.statusCode, host).toBe(200);
    }
    // Scripts (no browser headers) may use any name.
    expect((await inject({ url: "/api/status", headers: { host: "nas.lan" } })).statusCode).toBe(
      200,
    );
    // The name people use, once configured, is accepted.
    const { hash } = world.config.current.snapshot;
    world.config.update([{ path: ["notify", "uiUrl"], value: "http://photoferry.lan:8080" }], hash);
    const named = await inject({ url: "/api/session", headers: browser });
    expect(named.statusCode).toBe(200);
    expect(
      (await inject({ url: "/api/session", headers: { ...rebound, host: "evil.example" } }))
        .statusCode,
    ).toBe(403);
  });

  it("is open, but browser writes still need the CSRF token", async () => {
    world = await start("  allow: []");
    const browser = { host: "192.168.1.5:8080", origin: "http://192.168.1.5:8080" };
    expect(world.logs.join("")).toContain("no password and no web.allow list");
    const session = (await inject({ url: "/api/session" })).json<{ csrfToken: string }>();
    expect(session).toMatchObject({
      authenticated: true,
      method: "open",
      passwordRequired: false,
      user: null,
    });
    expect((await inject({ method: "POST", url: "/api/sync/pause" })).statusCode).toBe(200);
    expect(
      (await inject({ method: "POST", url: "/api/sync/pause", headers: browser })).statusCode,
    ).toBe(403);
    const withToken = await inject({
      method: "POST",
      url: "/api/sync/pause",
      headers: { ...browser, "x-csrf-token": session.csrfToken },
    });
    expect(withToken.statusCode).toBe(200);
    const login = await inject({ method: "POST", url: "/api/login", payload: { password: "x" } });
    expect(login.statusCode).toBe(409);
  });

  it("sends the security headers", async () => {
    world = await start("  allow: []");
    const response = await inject({ url: "/api/status" });
    const csp = String(response.headers["content-security-policy"]);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    expect(response.headers["referrer-policy"]).toBe("same-origin");
  });
});
