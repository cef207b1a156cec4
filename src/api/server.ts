import cookie from "@fastify/cookie";
import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { existsSync } from "node:fs";
import type { Logger } from "pino";
import type { AuditStore } from "../audit/audit-log.js";
import type { ConfigService } from "../config/config-service.js";
import type { CheckResult } from "../doctor/check-result.js";
import type { PhotoferryService } from "../service/service-contract.js";
import type { SessionStore } from "./access/session-store.js";
import type { ApiTokenStore } from "./access/token-store.js";
import { registerAccessControl } from "./auth-hook.js";
import { errorReply } from "./error-reply.js";
import { registerAuditRoutes } from "./routes/audit-routes.js";
import { registerAuthRoutes } from "./routes/auth-routes.js";
import { registerCheckRoutes } from "./routes/check-routes.js";
import { registerConfigRoutes } from "./routes/config-routes.js";
import { registerEventRoutes } from "./routes/event-routes.js";
import { registerOpsRoutes } from "./routes/ops-routes.js";
import { registerRunRoutes } from "./routes/run-routes.js";
import { registerSyncRoutes } from "./routes/sync-routes.js";
import { registerTokenRoutes } from "./routes/token-routes.js";
import { DEFAULT_UI_DIR, isAppNavigation, registerWebUi, sendIndex } from "./ui-static.js";

export interface ApiDeps {
  service: PhotoferryService;
  config: ConfigService;
  notifier: { test(): Promise<{ ok: boolean; detail: string }> };
  checks: { nextcloud(): Promise<CheckResult[]>; photoprism(): Promise<CheckResult[]> };
  logger: Logger;
  version: string;
  /** Admin actions: access control and routes record, GET /api/audit lists. */
  audit: AuditStore;
  sessions: SessionStore;
  tokens: ApiTokenStore;
}

export interface ApiOptions {
  /** Comment lines on idle event streams; proxies close streams silent for about a minute. */
  sseHeartbeatMs?: number;
  /** The built web UI (`dist/web`); tests point it at their own build. */
  uiDir?: string;
  /** Clock of sessions, tokens and the login throttle. */
  now?: () => number;
  /** The wait before answering a client with recent failed logins; tests record it instead. */
  sleep?: (ms: number) => Promise<void>;
}

export const BODY_LIMIT_BYTES = 256 * 1024;

/** Everything the API's own pages may load: this origin only, nothing from the internet. */
const strictCsp = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    objectSrc: ["'none'"],
  },
};

/** Swagger UI (React) sets inline styles; only its own pages get 'unsafe-inline', for styles. */
const docsCsp =
  "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "base-uri 'self'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

/**
 * The HTTP API (PRODUCT.md §3). Routes validate, call one service method and reply; every
 * error becomes a reply in one handler. Not listening yet: the caller calls `listen`.
 */
export async function buildApiServer(
  deps: ApiDeps,
  options: ApiOptions = {},
): Promise<FastifyInstance> {
  // The plain instance type keeps route modules free of pino's generics.
  const logger: FastifyBaseLogger = deps.logger.child({ component: "api" });
  const app: FastifyInstance = Fastify({
    loggerInstance: logger,
    // A line per request would drown the log in health checks and UI polling.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    // Unknown fields are refused with a 400 (a typo is not silently ignored).
    ajv: { customOptions: { removeAdditional: false } },
  });

  app.setErrorHandler((error, request, reply) => {
    const { status, body } = errorReply(error, { bodyLimit: BODY_LIMIT_BYTES });
    if (status >= 500) request.log.error({ err: error, url: request.url }, "request failed");
    else request.log.debug({ status, message: body.message, url: request.url }, "request refused");
    return reply.code(status).send(body);
  });
  const uiBuilt = existsSync(`${options.uiDir ?? DEFAULT_UI_DIR}/index.html`);
  app.setNotFoundHandler((request, reply) =>
    isAppNavigation(request)
      ? sendIndex(reply, uiBuilt)
      : reply.code(404).send({
          error: "not-found",
          message: `there is no ${request.method} ${request.url.split("?")[0]}; see /api/docs`,
        }),
  );

  // same-origin, not no-referrer: under no-referrer browsers send `Origin: null` even on
  // the UI's own POSTs, and the CSRF origin check must see the real origin.
  await app.register(helmet, {
    contentSecurityPolicy: strictCsp,
    referrerPolicy: { policy: "same-origin" },
  });
  await app.register(cookie);
  // Before every other plugin and route, so nothing escapes it (docs, static files, 404s).
  const now = options.now ?? Date.now;
  const access = registerAccessControl(app, deps, now);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      Object.assign(
        new Error(`too many requests; try again in ${Math.ceil(context.ttl / 1000)} seconds`),
        { statusCode: context.statusCode },
      ),
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: "photoferry",
        version: deps.version,
        description:
          "Ferries new photos from Nextcloud into PhotoPrism. Authenticate with the session " +
          "cookie from POST /api/login (writes also need X-CSRF-Token from GET /api/session) " +
          "or `Authorization: Bearer <API token>`. See docs/api.md.",
      },
      components: {
        securitySchemes: {
          token: { type: "http", scheme: "bearer" },
          session: { type: "apiKey", in: "cookie", name: "pf_session" },
        },
      },
      security: [{ token: [] }, { session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: "/api/docs", staticCSP: docsCsp });
  await registerWebUi(app, options.uiDir);

  app.get(
    "/api/docs/openapi.json",
    {
      schema: {
        hide: true,
        response: { 200: { type: "object", additionalProperties: true } },
      },
    },
    () => app.swagger(),
  );
  registerSyncRoutes(app, deps);
  registerRunRoutes(app, deps);
  registerEventRoutes(app, deps, options.sseHeartbeatMs ?? 15_000, (request) =>
    access.stillAuthorized(request),
  );
  registerConfigRoutes(app, deps);
  registerCheckRoutes(app, deps);
  registerOpsRoutes(app, deps);
  registerAuthRoutes(app, deps, access, options.sleep ? { sleep: options.sleep } : {});
  registerTokenRoutes(app, deps, now);
  registerAuditRoutes(app, deps);
  return app;
}
