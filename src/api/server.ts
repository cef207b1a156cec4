import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { existsSync } from "node:fs";
import type { Logger } from "pino";
import type { ConfigService } from "../config/config-service.js";
import type { CheckResult } from "../doctor/check-result.js";
import type { PhotoferryService } from "../service/service-contract.js";
import { registerAccessControl } from "./auth-hook.js";
import { errorReply } from "./error-reply.js";
import { registerCheckRoutes } from "./routes/check-routes.js";
import { registerConfigRoutes } from "./routes/config-routes.js";
import { registerEventRoutes } from "./routes/event-routes.js";
import { registerOpsRoutes } from "./routes/ops-routes.js";
import { registerRunRoutes } from "./routes/run-routes.js";
import { registerSyncRoutes } from "./routes/sync-routes.js";
import { DEFAULT_UI_DIR, isAppNavigation, registerWebUi, sendIndex } from "./ui-static.js";

export interface ApiDeps {
  service: PhotoferryService;
  config: ConfigService;
  notifier: { test(): Promise<{ ok: boolean; detail: string }> };
  checks: { nextcloud(): Promise<CheckResult[]>; photoprism(): Promise<CheckResult[]> };
  logger: Logger;
  version: string;
}

export interface ApiOptions {
  /** Comment lines on idle event streams; proxies close streams silent for about a minute. */
  sseHeartbeatMs?: number;
  /** The built web UI (`dist/web`); tests point it at their own build. */
  uiDir?: string;
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

  await app.register(helmet, { contentSecurityPolicy: strictCsp });
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
        description: "Ferries new photos from Nextcloud into PhotoPrism. No authentication yet.",
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: "/api/docs", staticCSP: docsCsp });
  registerAccessControl(app);
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
  registerEventRoutes(app, deps, options.sseHeartbeatMs ?? 15_000);
  registerConfigRoutes(app, deps);
  registerCheckRoutes(app, deps);
  registerOpsRoutes(app, deps);
  return app;
}
