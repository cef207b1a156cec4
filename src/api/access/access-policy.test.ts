import { describe, expect, it } from "vitest";
import type { Principal } from "../principal.js";
import { decideAccess, decisionPath, isPublicPath, type AccessFacts } from "./access-policy.js";

const session: Principal = { kind: "session", name: "admin", canWrite: true };
const readToken: Principal = { kind: "token", name: "prometheus", canWrite: false };
const writeToken: Principal = { kind: "token", name: "script", canWrite: true };
const open: Principal = { kind: "open", name: "open", canWrite: true };

const facts = (overrides: Partial<AccessFacts>): AccessFacts => ({
  method: "GET",
  path: "/api/status",
  principal: undefined,
  browser: false,
  crossOrigin: null,
  csrfValid: false,
  ...overrides,
});

const outcome = (overrides: Partial<AccessFacts>) => {
  const decision = decideAccess(facts(overrides));
  return decision.allow ? "allow" : `${decision.status}${decision.audit ? " audited" : ""}`;
};

describe("isPublicPath", () => {
  it("opens probes, the login endpoints and the UI's files; not the API, metrics or docs", () => {
    expect(isPublicPath("GET", "/healthz")).toBe(true);
    expect(isPublicPath("GET", "/api/session")).toBe(true);
    expect(isPublicPath("POST", "/api/login")).toBe(true);
    expect(isPublicPath("GET", "/")).toBe(true);
    expect(isPublicPath("GET", "/assets/index-3f2a.js")).toBe(true);
    expect(isPublicPath("GET", "/runs/12")).toBe(true);
    expect(isPublicPath("HEAD", "/favicon.svg")).toBe(true);
    for (const path of ["/api/status", "/api/docs", "/api/docs/json", "/api", "/metrics"]) {
      expect(isPublicPath("GET", path), path).toBe(false);
    }
    expect(isPublicPath("POST", "/")).toBe(false);
    expect(isPublicPath("DELETE", "/assets/x.js")).toBe(false);
  });
});

describe("decideAccess", () => {
  it("asks anonymous clients to log in, without flooding the audit log", () => {
    expect(outcome({})).toBe("401");
    expect(outcome({ path: "/metrics" })).toBe("401");
    expect(outcome({ method: "POST", path: "/api/sync/trigger", browser: true })).toBe("401");
    expect(outcome({ path: "/api/session" })).toBe("allow");
    expect(outcome({ path: "/assets/a.js" })).toBe("allow");
  });

  it("refuses a wrong credential everywhere, even on public paths", () => {
    expect(outcome({ path: "/healthz", credentialProblem: "unknown token" })).toBe("401 audited");
    expect(outcome({ principal: open, credentialProblem: "unknown token" })).toBe("401 audited");
  });

  it("lets read tokens read, but not write", () => {
    expect(outcome({ principal: readToken, path: "/metrics" })).toBe("allow");
    expect(outcome({ principal: readToken, method: "POST", path: "/api/sync/pause" })).toBe(
      "403 audited",
    );
    expect(outcome({ principal: writeToken, method: "POST", path: "/api/sync/pause" })).toBe(
      "allow",
    );
  });

  it("never lets a token manage tokens, not even list them", () => {
    for (const method of ["GET", "POST", "DELETE"]) {
      expect(outcome({ principal: writeToken, method, path: "/api/tokens" })).toBe("403 audited");
    }
    expect(outcome({ principal: writeToken, method: "DELETE", path: "/api/tokens/ab" })).toBe(
      "403 audited",
    );
    expect(outcome({ principal: session, path: "/api/tokens" })).toBe("allow");
  });

  it("needs the CSRF token and the own origin for every browser write but a token's", () => {
    const write = { method: "PUT", path: "/api/config", browser: true };
    for (const principal of [session, open, { ...session, kind: "header" as const }]) {
      expect(outcome({ ...write, principal })).toBe("403 audited");
      expect(outcome({ ...write, principal, csrfValid: true })).toBe("allow");
      expect(outcome({ ...write, principal, csrfValid: true, crossOrigin: "evil" })).toBe(
        "403 audited",
      );
    }
    expect(outcome({ ...write, principal: writeToken })).toBe("allow");
    expect(outcome({ ...write, principal: session, method: "GET" })).toBe("allow");
  });

  it("treats scripts without Origin, Referer or cookie as non-browsers", () => {
    expect(outcome({ method: "POST", path: "/api/sync/trigger", principal: open })).toBe("allow");
  });

  it("checks only the origin on login, and logout like any other write", () => {
    expect(outcome({ method: "POST", path: "/api/login", browser: true })).toBe("allow");
    expect(outcome({ method: "POST", path: "/api/login", browser: true, crossOrigin: "x" })).toBe(
      "403 audited",
    );
    expect(outcome({ method: "POST", path: "/api/logout", browser: true })).toBe("allow");
    expect(
      outcome({ method: "POST", path: "/api/logout", browser: true, principal: session }),
    ).toBe("403 audited");
  });

  it("says what to do in its messages", () => {
    const decision = decideAccess(facts({ method: "POST", principal: readToken }));
    expect(decision).toMatchObject({
      error: "forbidden",
      message: expect.stringMatching(/write token/) as unknown,
    });
    expect(decideAccess(facts({}))).toMatchObject({ error: "unauthorized" });
  });
});

describe("decisionPath", () => {
  it("judges a routed request by its route pattern, whatever its spelling", () => {
    expect(decisionPath("/api/status", "/%61pi/status")).toBe("/api/status");
    expect(decisionPath("/api/tokens/:id", "/api/tokens/%61b")).toBe("/api/tokens/:id");
  });

  it("decodes, folds slashes and lowercases the path of an unrouted request", () => {
    expect(decisionPath(undefined, "/%61pi/nope?x=1")).toBe("/api/nope");
    expect(decisionPath(undefined, "//API//status")).toBe("/api/status");
    expect(decisionPath(undefined, "/%6detrics")).toBe("/metrics");
    expect(isPublicPath("GET", decisionPath(undefined, "/%61pi/nope") ?? "")).toBe(false);
  });

  it("refuses targets that are not a path or do not decode", () => {
    expect(decisionPath("/api/status", "http://x/api/status")).toBeNull();
    expect(decisionPath(undefined, "*")).toBeNull();
    expect(decisionPath(undefined, "/%zz")).toBeNull();
  });
});
