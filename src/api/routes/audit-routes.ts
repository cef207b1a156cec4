import type { FastifyInstance } from "fastify";
import { AUDIT_ACTIONS, type AuditStore } from "../../audit/audit-log.js";
import type { AuditAction } from "../../audit/audit-recorder.js";
import { errors, page, pagingQuery } from "../schemas.js";

const auditItemSchema = {
  type: "object",
  properties: {
    id: { type: "integer" },
    at: { type: "string", description: "ISO 8601, UTC" },
    actor: {
      type: "string",
      description: '"session:admin", "token:<name>", "header:<user>", "open" or "anonymous"',
    },
    ip: { type: "string" },
    action: { type: "string", description: `One of: ${AUDIT_ACTIONS.join(", ")}` },
    detail: {
      anyOf: [{ type: "object", additionalProperties: true }, { type: "null" }],
      description: "What was done; config changes list keys with secrets only as markers",
    },
  },
  required: ["id", "at", "actor", "ip", "action", "detail"],
  additionalProperties: false,
} as const;

interface AuditQuerystring {
  limit: number;
  offset: number;
  action?: AuditAction;
}

/**
 * The audit log of admin actions, newest first. Takes `ApiDeps` (only its `audit` is read;
 * the narrow type keeps this route testable with just a log).
 */
export function registerAuditRoutes(app: FastifyInstance, { audit }: { audit: AuditStore }): void {
  app.get<{ Querystring: AuditQuerystring }>(
    "/api/audit",
    {
      schema: {
        summary: "Admin actions: logins, failed logins, config changes, manual triggers, tokens",
        tags: ["audit"],
        querystring: {
          type: "object",
          properties: {
            ...pagingQuery,
            action: { type: "string", enum: AUDIT_ACTIONS, description: "Only this action" },
          },
          additionalProperties: false,
        },
        response: { 200: page(auditItemSchema), ...errors() },
      },
    },
    (request) => {
      const { limit, offset, action } = request.query;
      const query = action === undefined ? { limit, offset } : { limit, offset, action };
      return { ...audit.list(query), limit, offset };
    },
  );
}
