/**
 * JSON Schemas of the contract types (src/service/service-contract.ts). Fastify validates
 * requests and serializes responses with them, and @fastify/swagger turns them into the
 * OpenAPI document, so a field missing here is missing from the reply: keep them in step.
 */
import { stepNames } from "../service/service-contract.js";

const str = { type: "string" } as const;
const int = { type: "integer" } as const;
const nullable = (type: "string" | "integer") => ({ type: [type, "null"] }) as const;
const obj = (properties: Record<string, unknown>, required = Object.keys(properties)) => ({
  type: "object",
  properties,
  required,
  additionalProperties: false,
});

export const triggerSchema = { type: "string", enum: ["manual", "scheduled", "watch"] } as const;

const stepSchema = obj({
  name: { type: "string", enum: stepNames },
  state: { type: "string", enum: ["pending", "running", "done", "failed", "skipped"] },
  startedAt: nullable("string"),
  finishedAt: nullable("string"),
  filesDone: int,
  filesTotal: int,
  bytesDone: int,
  bytesTotal: int,
});

const countsSchema = obj({
  seen: int,
  moved: int,
  duplicates: int,
  skipped: int,
  failed: int,
  bytes: int,
});

const runProperties = {
  id: int,
  trigger: triggerSchema,
  reason: str,
  startedAt: str,
  finishedAt: nullable("string"),
  outcome: {
    type: ["string", "null"],
    enum: ["ok", "failed", "nothing-to-do", "interrupted", null],
  },
  counts: countsSchema,
  steps: { type: "array", items: stepSchema },
  errors: { type: "array", items: str },
};

export const runSummarySchema = obj(runProperties);

export const activityEntrySchema = obj({
  id: int,
  runId: int,
  at: str,
  userId: str,
  action: {
    type: "string",
    enum: ["transferred", "duplicate", "quarantined", "failed", "imported", "left-behind"],
  },
  source: str,
  destination: nullable("string"),
  sha256: nullable("string"),
  sha1: nullable("string"),
  size: nullable("integer"),
  reason: nullable("string"),
});

const commandSchema = obj({
  app: { type: "string", enum: ["nextcloud", "photoprism"] },
  step: str,
  argv: { type: "array", items: str },
  exitCode: nullable("integer"),
  ok: { type: "boolean" },
  durationMs: { type: "number" },
  error: nullable("string"),
  outputTail: str,
  startedAt: str,
});

export const runDetailSchema = obj({
  ...runProperties,
  files: { type: "array", items: activityEntrySchema },
  commands: { type: "array", items: commandSchema },
});

const nullableRun = { anyOf: [runSummarySchema, { type: "null" }] };

const scheduledFiringSchema = obj({
  at: str,
  cron: str,
  folders: { anyOf: [{ type: "array", items: str }, { type: "null" }] },
});

const statusProperties = {
  state: {
    type: "string",
    enum: ["starting", "idle", "running", "paused", "stopping", "error"],
  },
  version: str,
  startedAt: str,
  paused: { type: "boolean" },
  current: nullableRun,
  queueLength: int,
  nextRuns: { type: "array", items: str },
  nextScheduled: { type: "array", items: scheduledFiringSchema },
  lastRun: nullableRun,
  totals: obj({ runs: int, moved: int, duplicates: int, failed: int, bytes: int }),
  recentErrors: { type: "array", items: obj({ at: str, message: str }) },
};

/** `nextScheduled` is optional in the contract (added with per-folder schedules). */
export const statusSchema = obj(
  statusProperties,
  Object.keys(statusProperties).filter((key) => key !== "nextScheduled"),
);

export const queueSchema = obj({
  pending: { type: "array", items: obj({ trigger: triggerSchema, reason: str, requestedAt: str }) },
  files: {
    type: "array",
    items: obj({
      userId: str,
      path: str,
      state: {
        type: "string",
        enum: ["waiting", "settling", "in-flight", "quarantined", "failed"],
      },
      reason: nullable("string"),
    }),
  },
});

export const userSchema = obj({
  id: str,
  included: { type: "boolean" },
  isNew: { type: "boolean" },
  reason: nullable("string"),
  counts: obj({ moved: int, duplicates: int, failed: int, bytes: int }),
});

export const checkResultSchema = obj(
  {
    area: str,
    name: str,
    status: { type: "string", enum: ["ok", "warn", "fail", "skip"] },
    detail: str,
    fix: str,
  },
  ["area", "name", "status", "detail"],
);

export const page = (items: unknown) =>
  obj({ items: { type: "array", items }, total: int, limit: int, offset: int });

export const pagingQuery = {
  limit: { type: "integer", minimum: 1, maximum: 500, default: 50 },
  offset: { type: "integer", minimum: 0, default: 0 },
} as const;

export const errorSchema = {
  type: "object",
  properties: {
    error: str,
    message: str,
    currentHash: str,
    issues: {
      type: "array",
      items: obj(
        {
          severity: str,
          path: str,
          line: int,
          column: int,
          message: str,
          fix: str,
          text: str,
        },
        ["severity", "path", "message", "text"],
      ),
    },
  },
  required: ["error", "message"],
} as const;

/** The error replies every route may give, plus the ones it adds. */
export const errors = (...statuses: number[]) =>
  Object.fromEntries([400, 500, ...statuses].map((status) => [status, errorSchema]));

/** A body that is text of one media type, e.g. CSV or the Prometheus format. */
export const textBody = (mediaType: string, description: string) => ({
  description,
  content: { [mediaType]: { schema: { type: "string" } } },
});
