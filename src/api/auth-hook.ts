import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { PhotoferryConfig } from "../config/resolve-config.js";
import { decideAccess, decisionPath } from "./access/access-policy.js";
import {
  addressSet,
  clientKey,
  resolveClientAddress,
  type AddressSet,
} from "./access/client-address.js";
import {
  crossOriginProblem,
  csrfToken,
  csrfTokenMatches,
  looksLikeBrowser,
  rebindingProblem,
} from "./access/csrf.js";
import { OncePerWindow } from "./access/once-per-window.js";
import { passwordFingerprint, type Session } from "./access/session-store.js";
import { describePrincipal, type Principal } from "./principal.js";
import type { ApiDeps } from "./server.js";

export const SESSION_COOKIE = "pf_session";
const TOKEN_USE_AUDIT_MS = 3_600_000;
const REFUSAL_AUDIT_MS = 60_000;
/** Failed logins audited per client (IPv6: per /64) and minute, and from everyone together. */
const LOGIN_FAILURES_AUDITED_PER_CLIENT = 3;
const LOGIN_FAILURES_AUDITED = 30;

declare module "fastify" {
  interface FastifyRequest {
    /** The password session the request came with (set by access control). */
    loginSession?: Session;
  }
}

/** What access control reads from the live config; rebuilt only when the config changes. */
export interface AccessSettings {
  allow: AddressSet;
  proxies: AddressSet;
  passwordHash: string | null;
  trustedHeader: string | null;
  idleMs: number;
  /** `host[:port]` of `notify.uiUrl`: the UI's address behind a proxy, allowed as Origin. */
  uiHost: string | null;
}

const settingsCache = new WeakMap<PhotoferryConfig, AccessSettings>();

export function accessSettings(config: PhotoferryConfig): AccessSettings {
  let settings = settingsCache.get(config);
  if (!settings) {
    const { web, notify } = config;
    settings = {
      allow: addressSet(web.allow),
      proxies: addressSet(web.trustedProxies),
      passwordHash: web.auth.passwordHash ?? null,
      trustedHeader: web.auth.trustedHeader ?? null,
      idleMs: web.auth.sessionHours * 3_600_000,
      uiHost: notify.uiUrl === undefined ? null : new URL(notify.uiUrl).host,
    };
    settingsCache.set(config, settings);
  }
  return settings;
}

const firstValue = (value: string | string[] | undefined): string | undefined =>
  (Array.isArray(value) ? value[0] : value)?.split(",")[0]?.trim();

/**
 * THE place for access control, as one `onRequest` hook (before any body is read): the
 * `web.allow` list, then who the request is (API token, session cookie, trusted header,
 * or `open` without password), then `decideAccess`. Settings are read from the live config
 * on every request, so edits to `web.auth`, `web.allow` and `web.trustedProxies` apply at
 * once. Sets `request.principal`, `request.loginSession` and `request.ip` (the client
 * address, X-Forwarded-For believed only from `web.trustedProxies`).
 */
export class AccessControl {
  private readonly tokenUses: OncePerWindow;
  private readonly refusals: OncePerWindow;
  private readonly loginFailures: OncePerWindow;
  private readonly allLoginFailures: OncePerWindow;

  constructor(
    private readonly deps: ApiDeps,
    readonly now: () => number,
  ) {
    this.tokenUses = new OncePerWindow(TOKEN_USE_AUDIT_MS, now);
    this.refusals = new OncePerWindow(REFUSAL_AUDIT_MS, now);
    this.loginFailures = new OncePerWindow(
      REFUSAL_AUDIT_MS,
      now,
      10_000,
      LOGIN_FAILURES_AUDITED_PER_CLIENT,
    );
    this.allLoginFailures = new OncePerWindow(REFUSAL_AUDIT_MS, now, 1, LOGIN_FAILURES_AUDITED);
  }

  get settings(): AccessSettings {
    return accessSettings(this.deps.config.current.config);
  }

  /** The CSRF token of a principal; null for API tokens, which need none. */
  csrfTokenOf(request: FastifyRequest): string | null {
    const subject = this.csrfSubject(request);
    return subject === null ? null : csrfToken(this.deps.sessions.csrfKey, subject);
  }

  /** Secure when the client reached photoferry over HTTPS, directly or through a trusted proxy. */
  isHttps(request: FastifyRequest): boolean {
    if ((request.raw.socket as { encrypted?: boolean }).encrypted === true) return true;
    const peer = request.raw.socket.remoteAddress ?? "";
    return (
      this.settings.proxies.has(peer) &&
      firstValue(request.headers["x-forwarded-proto"])?.toLowerCase() === "https"
    );
  }

  /**
   * Audits a refused request at most once a minute per client (IPv6: per /64) and reason.
   * `reason` is a fixed word, never text from the request: an attacker varying its Origin
   * or address inside its network must not get an entry per variation.
   */
  auditRefusal(request: FastifyRequest, reason: string, detail: Record<string, unknown>): void {
    if (!this.refusals.take(`${clientKey(request.ip)}|${reason}`)) return;
    this.deps.audit.record({
      action: "access-refused",
      actor: describePrincipal(request.principal),
      ip: request.ip,
      detail: { reason, method: request.method, path: pathOf(request), ...detail },
    });
  }

  /**
   * Whether a request accepted earlier would still be accepted as the same principal: for
   * streams that outlive the check (`/api/events`) across logout, token revocation, password
   * and allow-list changes. Renews nothing and audits nothing.
   */
  stillAuthorized(request: FastifyRequest): boolean {
    const settings = this.settings;
    const principal = request.principal;
    if (!settings.allow.empty && !settings.allow.has(request.ip)) return false;
    if (!principal) return false;
    const peer = request.raw.socket.remoteAddress ?? "";
    switch (principal.kind) {
      case "token": {
        const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? "")?.[1];
        return bearer !== undefined && this.deps.tokens.findBySecret(bearer) !== undefined;
      }
      case "session":
        return (
          settings.passwordHash !== null &&
          request.loginSession !== undefined &&
          this.deps.sessions.isLive(request.loginSession.idHash, this.now(), settings.idleMs)
        );
      case "header":
        return settings.trustedHeader !== null && settings.proxies.has(peer);
      case "open":
        return settings.passwordHash === null && settings.trustedHeader === null;
    }
  }

  /** Audits a wrong password, a few times a minute per client and overall at most. */
  auditLoginFailure(request: FastifyRequest): void {
    if (!this.loginFailures.take(clientKey(request.ip))) return;
    if (!this.allLoginFailures.take("all")) return;
    this.deps.audit.record({ action: "login-failed", actor: "anonymous", ip: request.ip });
  }

  readonly onRequest = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const settings = this.settings;
    const peer = request.raw.socket.remoteAddress ?? "";
    const ip = resolveClientAddress(peer, request.headers["x-forwarded-for"], settings.proxies);
    // Routes, the audit log and the rate limiter all read `request.ip`: one answer for all.
    Object.defineProperty(request, "ip", { value: ip, configurable: true, enumerable: true });
    if (!settings.allow.empty && !settings.allow.has(ip) && !isLocalProbe(request, peer)) {
      if (this.refusals.take(`${clientKey(ip)}|allow-log`)) {
        request.log.warn({ ip, url: pathOf(request) }, "refused a client outside web.allow");
      }
      this.auditRefusal(request, "not-allowed", {});
      return this.refuse(reply, 403, "forbidden", `this address (${ip}) is not in web.allow`);
    }
    const path = decisionPath(request.routeOptions.url, request.raw.url ?? "");
    if (path === null) {
      return this.refuse(
        reply,
        400,
        "bad-request",
        "the request target must be a path starting with / (not an absolute URL)",
      );
    }
    const credentialProblem = this.identify(request, settings, peer);
    const secFetchSite: unknown = request.headers["sec-fetch-site"];
    const headers = {
      origin: request.headers.origin,
      referer: request.headers.referer,
      cookie: request.headers.cookie,
      secFetchSite: typeof secFetchSite === "string" ? secFetchSite : undefined,
    };
    // Without a password, reaching the port is all it takes; a browser must therefore not
    // be talking to photoferry under a name an attacker controls (DNS rebinding).
    if (request.principal?.kind === "open" && looksLikeBrowser(headers)) {
      const problem = this.viaTrustedProxyHost(request, settings)
        ? null
        : rebindingProblem(request.headers.host, settings.uiHost);
      if (problem !== null) {
        this.auditRefusal(request, "unknown-host", { host: request.headers.host?.slice(0, 200) });
        return this.refuse(reply, 403, "forbidden", problem);
      }
    }
    const subject = this.csrfSubject(request);
    const decision = decideAccess({
      method: request.method,
      path,
      principal: request.principal,
      ...(credentialProblem === undefined ? {} : { credentialProblem }),
      browser: looksLikeBrowser(headers),
      crossOrigin: crossOriginProblem(headers, this.allowedHosts(request, settings)),
      csrfValid:
        subject !== null &&
        csrfTokenMatches(this.deps.sessions.csrfKey, subject, request.headers["x-csrf-token"]),
    });
    if (decision.allow) return;
    if (decision.audit) {
      this.auditRefusal(request, decision.reason, {
        status: decision.status,
        message: decision.message,
      });
    }
    request.log.debug({ ip, status: decision.status, url: pathOf(request) }, decision.message);
    return this.refuse(reply, decision.status, decision.error, decision.message);
  };

  private refuse(reply: FastifyReply, status: number, error: string, message: string) {
    return reply.code(status).header("cache-control", "no-store").send({ error, message });
  }

  /** Sets the principal; returns a problem when the request carried a wrong credential. */
  private identify(
    request: FastifyRequest,
    settings: AccessSettings,
    peer: string,
  ): string | undefined {
    const authorization = request.headers.authorization;
    // Other schemes (a proxy's Basic auth passed through) are not photoferry's to judge.
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "")?.[1];
    if (bearer !== undefined) {
      const token = this.deps.tokens.findBySecret(bearer);
      if (!token) return "the API token is not valid (revoked or mistyped); create a new one";
      request.principal = { kind: "token", name: token.name, canWrite: token.scope === "write" };
      this.deps.tokens.markUsed(token, this.now());
      if (this.tokenUses.take(token.id)) {
        this.deps.audit.record({
          action: "token-use",
          actor: describePrincipal(request.principal),
          ip: request.ip,
          detail: { id: token.id, scope: token.scope },
        });
      }
      return undefined;
    }
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie && settings.passwordHash !== null) {
      const session = this.deps.sessions.find(cookie, this.now(), settings.idleMs);
      if (session) {
        request.loginSession = session;
        request.principal = { kind: "session", name: session.user, canWrite: true };
        return undefined;
      }
    }
    if (settings.trustedHeader !== null && settings.proxies.has(peer)) {
      const user = request.headers[settings.trustedHeader.toLowerCase()];
      if (typeof user === "string" && /^[^\p{Cc}]{1,200}$/u.test(user.trim())) {
        request.principal = { kind: "header", name: user.trim(), canWrite: true };
        return undefined;
      }
    }
    if (settings.passwordHash === null && settings.trustedHeader === null) {
      request.principal = { kind: "open", name: "open", canWrite: true };
    }
    return undefined;
  }

  private csrfSubject(request: FastifyRequest): string | null {
    const principal: Principal | undefined = request.principal;
    if (!principal) return null;
    switch (principal.kind) {
      case "token":
        return null;
      case "session":
        return `session:${request.loginSession?.idHash ?? ""}`;
      case "header":
        return `header:${principal.name}`;
      case "open":
        return "open";
    }
  }

  /** A trusted proxy that names the public host: it routed by that name, so it is real. */
  private viaTrustedProxyHost(request: FastifyRequest, settings: AccessSettings): boolean {
    const forwardedHost = firstValue(request.headers["x-forwarded-host"]);
    return (
      forwardedHost !== undefined &&
      forwardedHost !== "" &&
      settings.proxies.has(request.raw.socket.remoteAddress ?? "")
    );
  }

  private allowedHosts(request: FastifyRequest, settings: AccessSettings): string[] {
    const hosts: string[] = [];
    if (request.headers.host) hosts.push(request.headers.host);
    const forwardedHost = firstValue(request.headers["x-forwarded-host"]);
    if (forwardedHost && this.viaTrustedProxyHost(request, settings)) {
      hosts.push(forwardedHost);
    }
    if (settings.uiHost) hosts.push(settings.uiHost);
    return hosts;
  }
}

const pathOf = (request: FastifyRequest): string => request.url.split("?")[0] ?? "";

const loopback = addressSet(["127.0.0.0/8", "::1"]);

/**
 * `photoferry healthcheck` (Docker's HEALTHCHECK) asks /healthz from inside the container;
 * an allow-list for the LAN must not mark the container unhealthy. Only the socket peer
 * counts here, never X-Forwarded-For, and only for this one public route.
 */
const isLocalProbe = (request: FastifyRequest, peer: string): boolean =>
  request.routeOptions.url === "/healthz" && loopback.has(peer);

/**
 * Installs access control on every route (register it before any route and plugin). Also
 * ends sessions when the password changes and warns when photoferry is open to everyone.
 */
export function registerAccessControl(
  app: FastifyInstance,
  deps: ApiDeps,
  now: () => number = Date.now,
): AccessControl {
  const access = new AccessControl(deps, now);
  app.addHook("onRequest", access.onRequest);
  let wasOpenToAll = false;
  const review = (config: PhotoferryConfig, startup: boolean) => {
    const settings = accessSettings(config);
    if (deps.sessions.bindToPassword(passwordFingerprint(settings.passwordHash))) {
      deps.logger.info("the web password changed: every login session was ended");
    }
    deps.sessions.removeExpired(now(), settings.idleMs);
    const open = settings.passwordHash === null && settings.trustedHeader === null;
    const openToAll = open && settings.allow.empty;
    if (openToAll && !wasOpenToAll) {
      deps.logger.warn(
        "the web UI and API have no password and no web.allow list: anyone who can reach " +
          "the port controls photoferry. Set web.auth.passwordHash (photoferry hash-password) " +
          "or web.allow",
      );
    } else if (startup && open) {
      deps.logger.info(
        { allow: config.web.allow },
        "the web UI is open to web.allow without a password",
      );
    }
    wasOpenToAll = openToAll;
  };
  review(deps.config.current.config, true);
  const unsubscribe = deps.config.onChange((change) => review(change.current, false));
  app.addHook("onClose", (_app, done) => {
    unsubscribe();
    done();
  });
  return access;
}
