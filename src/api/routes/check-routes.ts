import type { FastifyInstance } from "fastify";
import { auditEntry } from "../../audit/request-audit.js";
import { anyFailed } from "../../doctor/check-result.js";
import type { ApiDeps } from "../server.js";
import { checkResultSchema, errors } from "../schemas.js";
import { emptyBodyAsObject } from "./sync-routes.js";

const noBody = { type: "object", additionalProperties: false } as const;

// Each test runs commands or sends a message: a burst of clicks must not flood occ or get
// photoferry rate-limited by the ntfy server (which would hold back real alerts).
const testRateLimit = { rateLimit: { max: 6, timeWindow: "1 minute" } };

/** One test of each kind at a time; a second click shares the first one's answer. */
function singleFlight<T>(work: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  return () => (running ??= work().finally(() => (running = undefined)));
}

const checksReply = {
  type: "object",
  properties: { ok: { type: "boolean" }, results: { type: "array", items: checkResultSchema } },
  required: ["ok", "results"],
} as const;

export function registerCheckRoutes(
  app: FastifyInstance,
  { checks, notifier, audit }: ApiDeps,
): void {
  for (const target of ["nextcloud", "photoprism"] as const) {
    const check = singleFlight(() => checks[target]());
    app.post(
      `/api/test/${target}`,
      {
        config: testRateLimit,
        preValidation: emptyBodyAsObject,
        schema: {
          summary: `Run the doctor's ${target === "nextcloud" ? "occ" : "PhotoPrism"} checks with the config in use`,
          tags: ["checks"],
          body: noBody,
          response: { 200: checksReply, ...errors() },
        },
      },
      async () => {
        const results = await check();
        return { ok: !anyFailed(results), results };
      },
    );
  }

  const testNotify = singleFlight(() => notifier.test());
  app.post(
    "/api/test/notify",
    {
      config: testRateLimit,
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
    async (request) => {
      const result = await testNotify();
      // A test message goes to real people's phones: who sent it is worth keeping.
      audit.record(auditEntry(request, "notify-test", { ok: result.ok }));
      return result;
    },
  );
}
