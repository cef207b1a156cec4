import type { FastifyInstance } from "fastify";
import { countOutcome, emptyTally, renderMetrics } from "../metrics.js";
import type { ApiDeps } from "../server.js";
import { errors, textBody } from "../schemas.js";

const RUN_PAGE = 500;

/** Health for Docker/Kubernetes probes and metrics for Prometheus; both cheap to call often. */
export function registerOpsRoutes(app: FastifyInstance, { service }: ApiDeps): void {
  // Counted once from the run history, then kept current from events: a scrape never pages
  // through every run. Subscribing first, inside the same synchronous turn, misses none.
  const tally = emptyTally();
  // File counters start from the history's totals and only grow from then on: pruning old
  // history must not make a Prometheus counter go down.
  const files = { ...service.status().totals };
  const unsubscribe = service.subscribe((event) => {
    if (event.type !== "run-finished") return;
    countOutcome(tally, event.run);
    files.moved += event.run.counts.moved;
    files.duplicates += event.run.counts.duplicates;
    files.failed += event.run.counts.failed;
    files.bytes += event.run.counts.bytes;
  });
  for (let offset = 0; ; offset += RUN_PAGE) {
    const { items } = service.runs({ limit: RUN_PAGE, offset });
    for (const run of items) countOutcome(tally, run);
    if (items.length < RUN_PAGE) break;
  }
  app.addHook("onClose", (_app, done) => {
    unsubscribe();
    done();
  });

  app.get(
    "/healthz",
    {
      schema: {
        summary: "200 unless the service is in its error state",
        tags: ["ops"],
        response: {
          200: {
            type: "object",
            properties: { ok: { type: "boolean" }, state: { type: "string" } },
            required: ["ok", "state"],
          },
          503: {
            type: "object",
            properties: { ok: { type: "boolean" }, state: { type: "string" } },
            required: ["ok", "state"],
          },
          ...errors(),
        },
      },
    },
    async (_request, reply) => {
      const { state } = service.status();
      const ok = state !== "error";
      return reply.code(ok ? 200 : 503).send({ ok, state });
    },
  );

  app.get(
    "/metrics",
    {
      schema: {
        summary: "Prometheus metrics (text format 0.0.4)",
        tags: ["ops"],
        response: { 200: textBody("text/plain", "Prometheus exposition format"), ...errors() },
      },
    },
    async (_request, reply) =>
      reply
        .type("text/plain; version=0.0.4; charset=utf-8")
        .send(renderMetrics({ ...service.status(), totals: files }, tally)),
  );
}
