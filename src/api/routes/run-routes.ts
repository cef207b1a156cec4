import { Readable } from "node:stream";
import type { FastifyInstance } from "fastify";
import type { ActivityFilter } from "../../service/service-contract.js";
import { activityCsv } from "../activity-csv.js";
import { BadRequestError } from "../error-reply.js";
import type { ApiDeps } from "../server.js";
import {
  activityEntrySchema,
  errors,
  page,
  pagingQuery,
  runDetailSchema,
  runSummarySchema,
  textBody,
} from "../schemas.js";

const ISO_DATE =
  "^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})?)?$";

const filterQuery = {
  user: { type: "string", minLength: 1, maxLength: 256, description: "Nextcloud user id" },
  name: {
    type: "string",
    minLength: 1,
    maxLength: 256,
    description: "Part of the file name or path",
  },
  hash: {
    type: "string",
    pattern: "^[0-9a-fA-F]{4,64}$",
    description: "A SHA-256 or SHA-1, or its beginning (at least 4 hex digits)",
  },
  from: { type: "string", pattern: ISO_DATE, description: "ISO date or time, inclusive" },
  to: { type: "string", pattern: ISO_DATE, description: "ISO date or time, inclusive" },
} as const;

interface FilterQuery {
  user?: string;
  name?: string;
  hash?: string;
  from?: string;
  to?: string;
}

/** V8's Date.parse takes 2024-02-31 for March 2nd; the calendar day must exist as written. */
function isRealDate(value: string): boolean {
  const [year = 0, month = 0, day = 0] = value.slice(0, 10).split("-").map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    !Number.isNaN(Date.parse(value))
  );
}

/** The query as the service's filter; refuses dates that only look right (2024-02-31). */
export function activityFilter(query: FilterQuery): ActivityFilter {
  const filter: ActivityFilter = {};
  if (query.user !== undefined) filter.userId = query.user;
  if (query.name !== undefined) filter.name = query.name;
  if (query.hash !== undefined) filter.hash = query.hash.toLowerCase();
  for (const key of ["from", "to"] as const) {
    const value = query[key];
    if (value === undefined) continue;
    if (!isRealDate(value)) {
      throw new BadRequestError(`\`${key}\` in the query is not a real date or time: ${value}`);
    }
    filter[key] = value;
  }
  if (filter.from && filter.to && Date.parse(filter.from) > Date.parse(filter.to)) {
    throw new BadRequestError("`from` is after `to`: swap them");
  }
  return filter;
}

export function registerRunRoutes(app: FastifyInstance, { service }: ApiDeps): void {
  app.get<{ Querystring: { limit: number; offset: number } }>(
    "/api/runs",
    {
      schema: {
        summary: "Past and current runs, newest first",
        tags: ["runs"],
        querystring: { type: "object", properties: pagingQuery, additionalProperties: false },
        response: { 200: page(runSummarySchema), ...errors() },
      },
    },
    (request) => {
      const { limit, offset } = request.query;
      return { ...service.runs({ limit, offset }), limit, offset };
    },
  );

  app.get<{ Params: { id: number } }>(
    "/api/runs/:id",
    {
      schema: {
        summary: "One run with its files and commands",
        tags: ["runs"],
        params: {
          type: "object",
          properties: { id: { type: "integer", minimum: 1 } },
          required: ["id"],
        },
        response: { 200: runDetailSchema, ...errors(404) },
      },
    },
    async (request, reply) => {
      const run = service.run(request.params.id);
      if (run) return run;
      return reply
        .code(404)
        .send({ error: "not-found", message: `there is no run ${request.params.id}` });
    },
  );

  app.get<{ Querystring: FilterQuery & { limit: number; offset: number } }>(
    "/api/logs",
    {
      schema: {
        summary: "The activity log: every file action, filterable, newest first",
        tags: ["logs"],
        querystring: {
          type: "object",
          properties: { ...filterQuery, ...pagingQuery },
          additionalProperties: false,
        },
        response: { 200: page(activityEntrySchema), ...errors() },
      },
    },
    (request) => {
      const { limit, offset } = request.query;
      const result = service.activity({ ...activityFilter(request.query), limit, offset });
      return { ...result, limit, offset };
    },
  );

  app.get<{ Querystring: FilterQuery }>(
    "/api/logs.csv",
    {
      schema: {
        summary: "The activity log as CSV (same filters, not paged)",
        tags: ["logs"],
        querystring: { type: "object", properties: filterQuery, additionalProperties: false },
        response: { 200: textBody("text/csv", "One row per file action"), ...errors() },
      },
    },
    async (request, reply) => {
      const filter = activityFilter(request.query);
      const rows = activityCsv((paging) => service.activity({ ...filter, ...paging }));
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", 'attachment; filename="photoferry-activity.csv"')
        .send(Readable.from(rows));
    },
  );
}
