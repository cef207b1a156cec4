import type { FastifyInstance } from "fastify";
import { auditEntry } from "../../audit/request-audit.js";
import type { ApiDeps } from "../server.js";
import { errors, queueSchema, statusSchema, userSchema } from "../schemas.js";

const noBody = { type: "object", additionalProperties: false } as const;

/** A POST without a body validates like `{}`, so "no options" needs no Content-Type dance. */
export const emptyBodyAsObject = (
  request: { body: unknown },
  _reply: unknown,
  done: () => void,
) => {
  request.body ??= {};
  done();
};

const stateReply = {
  type: "object",
  properties: { state: statusSchema.properties.state, paused: { type: "boolean" } },
  required: ["state", "paused"],
} as const;

export function registerSyncRoutes(app: FastifyInstance, { service, audit }: ApiDeps): void {
  app.get(
    "/api/status",
    {
      schema: {
        summary: "What the service is doing now, its last run, totals and recent errors",
        tags: ["sync"],
        response: { 200: statusSchema, ...errors() },
      },
    },
    () => service.status(),
  );

  app.post<{ Body: { reason?: string } }>(
    "/api/sync/trigger",
    {
      preValidation: emptyBodyAsObject,
      config: { rateLimit: { max: 10, timeWindow: "1 minute" } },
      schema: {
        summary: "Ask for a run now; merges with one already waiting",
        tags: ["sync"],
        body: {
          type: "object",
          properties: { reason: { type: "string", minLength: 1, maxLength: 200 } },
          additionalProperties: false,
        },
        response: {
          202: {
            type: "object",
            properties: { queued: { type: "boolean" }, queueLength: { type: "integer" } },
            required: ["queued", "queueLength"],
          },
          ...errors(409, 429),
        },
      },
    },
    async (request, reply) => {
      const reason = request.body.reason ?? "asked for through the API";
      const result = service.trigger("manual", reason);
      audit.record(auditEntry(request, "sync-trigger", { reason, queued: result.queued }));
      return reply.code(202).send(result);
    },
  );

  for (const action of ["pause", "resume"] as const) {
    app.post(
      `/api/sync/${action}`,
      {
        preValidation: emptyBodyAsObject,
        schema: {
          summary:
            action === "pause"
              ? "Let the current step finish safely, then start no new run until resumed"
              : "Start runs again after a pause",
          tags: ["sync"],
          body: noBody,
          response: { 200: stateReply, ...errors(409) },
        },
      },
      (request) => {
        service[action]();
        audit.record(auditEntry(request, action === "pause" ? "sync-pause" : "sync-resume"));
        const { state, paused } = service.status();
        return { state, paused };
      },
    );
  }

  app.get(
    "/api/queue",
    {
      schema: {
        summary: "Runs waiting to start and files not finished yet",
        tags: ["sync"],
        response: { 200: queueSchema, ...errors() },
      },
    },
    () => service.queue(),
  );

  app.get(
    "/api/users",
    {
      schema: {
        summary: "Nextcloud users, whether they are synced, and their totals",
        tags: ["users"],
        response: { 200: { type: "array", items: userSchema }, ...errors() },
      },
    },
    () => service.users(),
  );
}
