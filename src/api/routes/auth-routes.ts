import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { PasswordHashFormatError, verifyPassword } from "../../auth/password-hash.js";
import { clientKey } from "../access/client-address.js";
import { LoginThrottle, VerificationSlots } from "../access/login-throttle.js";
import { SESSION_MAX_AGE_MS } from "../access/session-store.js";
import { SESSION_COOKIE, type AccessControl } from "../auth-hook.js";
import { describePrincipal } from "../principal.js";
import { errors } from "../schemas.js";
import type { ApiDeps } from "../server.js";

const ADMIN = "admin";

export const sessionSchema = {
  type: "object",
  properties: {
    authenticated: { type: "boolean" },
    method: { type: ["string", "null"], enum: ["open", "session", "header", "token", null] },
    passwordRequired: { type: "boolean" },
    user: { type: ["string", "null"] },
    canWrite: { type: "boolean" },
    csrfToken: { type: ["string", "null"] },
  },
  required: ["authenticated", "method", "passwordRequired", "user", "canWrite", "csrfToken"],
  additionalProperties: false,
} as const;

export interface AuthRouteOptions {
  /** Waits before answering a client with recent failed logins; tests pass a recorder. */
  sleep?: (ms: number) => Promise<void>;
  throttle?: LoginThrottle;
  /** Password checks at once across all clients (scrypt takes 128 MiB each). */
  slots?: VerificationSlots;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** GET /api/session, POST /api/login and POST /api/logout (the UI contract, docs/api.md). */
export function registerAuthRoutes(
  app: FastifyInstance,
  deps: ApiDeps,
  access: AccessControl,
  options: AuthRouteOptions = {},
): void {
  const sleep = options.sleep ?? realSleep;
  const throttle = options.throttle ?? new LoginThrottle({ now: access.now });
  const slots = options.slots ?? new VerificationSlots();

  const sessionView = (request: FastifyRequest) => {
    const principal = request.principal;
    return {
      authenticated: principal !== undefined,
      method: principal?.kind ?? null,
      passwordRequired: access.settings.passwordHash !== null,
      user: principal === undefined || principal.kind === "open" ? null : principal.name,
      canWrite: principal?.canWrite ?? false,
      csrfToken: access.csrfTokenOf(request),
    };
  };
  const noStore = (reply: FastifyReply) => reply.header("cache-control", "no-store");

  app.get(
    "/api/session",
    {
      schema: {
        summary: "Who this request is authenticated as, and its CSRF token for writes",
        tags: ["auth"],
        response: { 200: sessionSchema, ...errors() },
      },
    },
    (request, reply) => noStore(reply).send(sessionView(request)),
  );

  app.post<{ Body: { password: string } }>(
    "/api/login",
    {
      schema: {
        summary: "Log in with the web password; sets the session cookie",
        tags: ["auth"],
        body: {
          type: "object",
          properties: { password: { type: "string", minLength: 1, maxLength: 1024 } },
          required: ["password"],
          additionalProperties: false,
        },
        response: { 200: sessionSchema, ...errors(401, 409, 429) },
      },
    },
    async (request, reply) => {
      const hash = access.settings.passwordHash;
      if (hash === null) {
        return reply.code(409).send({
          error: "conflict",
          message:
            "no web password is set (web.auth.passwordHash), so there is nothing to log in to",
        });
      }
      const client = clientKey(request.ip);
      const tooMany = (retryAfterSeconds: number, message: string) =>
        noStore(reply)
          .code(429)
          .header("retry-after", String(retryAfterSeconds))
          .send({ error: "too-many-requests", message });
      const verdict = throttle.attempt(client);
      if (!verdict.allowed) {
        if (verdict.reason === "in-flight") {
          return tooMany(
            1,
            "a login from this address is still being checked; wait for its answer",
          );
        }
        access.auditRefusal(request, "login-throttled", {});
        return tooMany(
          verdict.retryAfterSeconds,
          `too many wrong passwords from this address; try again in ${verdict.retryAfterSeconds} seconds`,
        );
      }
      let matches: boolean;
      try {
        if (verdict.delayMs > 0) await sleep(verdict.delayMs);
        if (!slots.tryAcquire()) {
          throttle.cancelled(client);
          return tooMany(
            1,
            "photoferry is checking too many logins at once; try again in a second",
          );
        }
        try {
          matches = await verifyPassword(request.body.password, hash);
        } finally {
          slots.release();
        }
      } catch (error) {
        throttle.cancelled(client);
        if (!(error instanceof PasswordHashFormatError)) throw error;
        request.log.error(`web.auth.passwordHash ${error.problem}`);
        return reply.code(500).send({
          error: "internal",
          message:
            "the configured web password hash is unusable; the details are in photoferry's log",
        });
      }
      if (!matches) {
        throttle.failed(client);
        access.auditLoginFailure(request);
        return noStore(reply).code(401).send({ error: "unauthorized", message: "wrong password" });
      }
      throttle.succeeded(client);
      // A new id on every login: a session id planted before login is worthless after it.
      if (request.loginSession) deps.sessions.removeByHash(request.loginSession.idHash);
      const now = access.now();
      // Logins are rare: a good moment to drop the sessions that ran out meanwhile.
      deps.sessions.removeExpired(now, access.settings.idleMs);
      const { id, session } = deps.sessions.create(ADMIN, now);
      request.loginSession = session;
      request.principal = { kind: "session", name: ADMIN, canWrite: true };
      deps.audit.record({
        action: "login",
        actor: describePrincipal(request.principal),
        ip: request.ip,
      });
      void reply.setCookie(SESSION_COOKIE, id, {
        httpOnly: true,
        sameSite: "strict",
        path: "/",
        secure: access.isHttps(request),
        maxAge: SESSION_MAX_AGE_MS / 1000,
      });
      return noStore(reply).send(sessionView(request));
    },
  );

  app.post(
    "/api/logout",
    {
      schema: {
        summary: "End the session and clear its cookie",
        tags: ["auth"],
        response: { 204: { type: "null" }, ...errors() },
      },
    },
    (request, reply) => {
      if (request.loginSession) {
        deps.sessions.removeByHash(request.loginSession.idHash);
        deps.audit.record({
          action: "logout",
          actor: describePrincipal(request.principal),
          ip: request.ip,
        });
      }
      void reply.clearCookie(SESSION_COOKIE, {
        httpOnly: true,
        sameSite: "strict",
        path: "/",
        secure: access.isHttps(request),
      });
      return noStore(reply).code(204).send();
    },
  );
}
