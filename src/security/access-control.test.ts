import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../auth/password-hash.js";
import { buildForChildProcess } from "../test-support/child-build.js";
import { ApiClient } from "./test-support/api-client.js";
import { fillPath, routesOf } from "./test-support/openapi-routes.js";
import { rawRequest } from "./test-support/raw-request.js";
import { serveWorld, type ServedWorld } from "./test-support/serve-world.js";

// Access control from outside, against the UI contract (docs/api.md): a real listening
// serve with a password, `web.allow: [127.0.0.1]` and a trusted header believed only from
// 192.0.2.10, which no peer here is. Requests come from 127.0.0.1 and, for the IPv6 case, ::1.

const PASSWORD = "correct horse battery staple";
/** Reachable without a login, as documented. */
const OPEN = new Set(["GET /healthz", "GET /api/session", "POST /api/login", "POST /api/logout"]);

let built: string;
let served: ServedWorld;
let url: string;

beforeAll(async () => {
  built = buildForChildProcess();
  const hash = await hashPassword(PASSWORD, { ln: 4 });
  served = await serveWorld(built, {
    // Continues the world's `web:` section (allow: [127.0.0.1]).
    extraYaml: [
      "  trustedProxies: [192.0.2.10/32]",
      "  auth:",
      `    passwordHash: ${JSON.stringify(hash)}`,
      "    trustedHeader: Remote-User",
    ].join("\n"),
    host: "::",
  });
  url = served.running.url.replace("[::1]", "127.0.0.1");
}, 180_000);
afterAll(async () => {
  await served?.close();
});

async function loggedIn(): Promise<ApiClient> {
  const client = new ApiClient(url);
  expect(await client.logIn(PASSWORD)).toBe(true);
  return client;
}

/** `/api/status` → `/%61pi/status`: the same route to the router, another string to a filter. */
const percentEncodeFirstLetter = (path: string): string =>
  `/%${path.charCodeAt(1).toString(16)}${path.slice(2)}`;

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

describe("access control from outside", { timeout: 60_000 }, () => {
  it("answers 401 on every route of the OpenAPI document without a login", async () => {
    const admin = await loggedIn();
    const routes = routesOf(JSON.parse((await admin.call("/api/docs/openapi.json")).text));
    expect(routes.length).toBeGreaterThan(15);
    for (const route of routes) {
      const key = `${route.method} ${route.path}`;
      if (OPEN.has(key)) continue;
      const filled = fillPath(route.path, { id: "1" });
      const reply = await rawRequest(url, filled, {
        method: route.method,
        ...(route.method === "GET" || route.method === "DELETE" ? {} : json({})),
      });
      expect(reply.status, key).toBe(401);
      expect(JSON.parse(reply.body), key).toMatchObject({ error: "unauthorized" });
      // The router decodes %XX, so `/%61pi/…` is the same route and must be refused too.
      const encoded = await rawRequest(url, percentEncodeFirstLetter(filled), {
        method: route.method,
        ...(route.method === "GET" || route.method === "DELETE" ? {} : json({})),
      });
      expect(encoded.status, `${key} (percent-encoded)`).toBe(401);
    }
    for (const path of ["/metrics", "/api/docs", "/api/docs/openapi.json"]) {
      expect((await rawRequest(url, path)).status, path).toBe(401);
      expect((await rawRequest(url, percentEncodeFirstLetter(path))).status, path).toBe(401);
      expect((await rawRequest(url, path, { method: "HEAD" })).status, path).toBe(401);
    }
    // Absolute-form targets (`GET http://host/api/status HTTP/1.1`) are refused outright.
    for (const target of ["http://h/api/status", "http://h/api/config", "http://h/healthz"]) {
      expect((await rawRequest(url, target)).status, target).toBe(400);
    }
    expect((await rawRequest(url, "/healthz")).status).toBe(200);
    // Refused before its body is even looked at: no validation details for strangers.
    const invalid = await rawRequest(url, "/api/sync/trigger", {
      method: "POST",
      ...json({ reasn: "typo" }),
    });
    expect(invalid.status).toBe(401);
  });

  it("refuses cross-origin and token-less cookie writes with 403", async () => {
    const client = await loggedIn();
    const ok = await client.call("/api/sync/pause", { method: "POST", body: {} });
    expect(ok.status).toBe(200);
    const session = JSON.parse((await client.call("/api/session")).text) as { csrfToken: string };
    const cases: [string, Record<string, string>][] = [
      ["other origin", { origin: "https://evil.example", "x-csrf-token": session.csrfToken }],
      [
        "other referer",
        { origin: "", referer: "https://evil.example/x", "x-csrf-token": session.csrfToken },
      ],
      ["no csrf token", { origin: url, "x-csrf-token": "" }],
      ["wrong csrf token", { origin: url, "x-csrf-token": "0".repeat(43) }],
    ];
    for (const [what, headers] of cases) {
      const reply = await client.call("/api/sync/resume", { method: "POST", body: {}, headers });
      expect(reply.status, what).toBe(403);
      expect(JSON.parse(reply.text), what).toMatchObject({ error: "forbidden" });
    }
  });

  it("ignores X-Forwarded-For and the trusted header from an untrusted peer", async () => {
    const spoofed = await rawRequest(url, "/api/status", {
      headers: { "remote-user": "admin", "x-forwarded-for": "127.0.0.1" },
    });
    expect(spoofed.status).toBe(401);
    const failedLogin = await rawRequest(url, "/api/login", {
      method: "POST",
      ...json({ password: "wrong" }, { "x-forwarded-for": "203.0.113.99" }),
    });
    expect(failedLogin.status).toBe(401);
    const audit = JSON.parse((await (await loggedIn()).call("/api/audit?limit=200")).text) as {
      items: { action: string; ip: string }[];
    };
    const failed = audit.items.filter((item) => item.action === "login-failed");
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((item) => item.ip === "127.0.0.1")).toBe(true);
  });

  it("refuses an IPv6 client outside web.allow with 403", async () => {
    // serve listens on "::", so its own URL is the IPv6 loopback.
    expect(served.running.url).toContain("[::1]");
    const reply = await rawRequest(served.running.url, "/api/session");
    expect(reply.status).toBe(403);
  });

  it("sets a fresh HttpOnly, SameSite=Strict session cookie at login (no fixation)", async () => {
    const planted = "pf_session=attacker-chosen-value"; // the cookie name auth-hook.ts uses
    const login = await rawRequest(url, "/api/login", {
      method: "POST",
      ...json({ password: PASSWORD }, { cookie: planted }),
    });
    expect(login.status).toBe(200);
    const setCookie = [login.headers["set-cookie"] ?? []].flat().join("\n");
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).not.toContain("attacker-chosen-value");
    const withPlanted = await rawRequest(url, "/api/status", { headers: { cookie: planted } });
    expect(withPlanted.status).toBe(401);
  });

  it("refuses oversized bodies with 413, before or after a login", async () => {
    const big = JSON.stringify({ password: "x".repeat(300 * 1024) });
    const anonymous = await rawRequest(url, "/api/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: big,
    });
    expect(anonymous.status).toBe(413);
  });
  // Last: it locks 127.0.0.1 out of logging in.
  it("throttles repeated wrong passwords to 429", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25 && !statuses.includes(429); i++) {
      const reply = await rawRequest(url, "/api/login", {
        method: "POST",
        ...json({ password: `wrong-${i}` }, { "x-forwarded-for": `198.51.100.${i}` }),
      });
      statuses.push(reply.status);
    }
    expect(statuses[0]).toBe(401);
    // Spoofed X-Forwarded-For from an untrusted peer does not give each try a new client.
    expect(statuses).toContain(429);
  });
});
