import type { FastifyInstance } from "fastify";
import { anyFailed } from "../../doctor/check-result.js";
import type { ApiDeps } from "../server.js";
import { checkResultSchema, errors } from "../schemas.js";
import { emptyBodyAsObject } from "./sync-routes.js";

const noBody = { type: "object", additionalProperties: false } as const;

const checksReply = {
  type: "object",
  properties: { ok: { type: "boolean" }, results: { type: "array", items: checkResultSchema } },
  required: ["ok", "results"],
} as const;

export function registerCheckRoutes(app: FastifyInstance, { checks, notifier }: ApiDeps): void {
  for (const target of ["nextcloud", "photoprism"] as const) {
    app.post(
      `/api/test/${target}`,
      {
        preValidation: emptyBodyAsObject,
        schema: {
          summary: `Run the doctor's ${target === "nextcloud" ? "occ" : "PhotoPrism"} checks with the config in use`,
          tags: ["checks"],
          body: noBody,
          response: { 200: checksReply, ...errors() },
        },
      },
      async () => {
        const results = await checks[target]();
        return { ok: !anyFailed(results), results };
      },
    );
  }

  app.post(
    "/api/test/notify",
    {
      preValidation: emptyBodyAsObject,
      schema: {
        summary: "Send a test notification",
        tags: ["checks"],
        body: noBody,
        response: {
          200: {
            type: "object",
            properties: { ok: { type: "boolean" }, detail: { type: "string" } },
            required: ["ok", "detail"],
          },
          ...errors(),
        },
      },
    },
    () => notifier.test(),
  );
}
