import type { FastifyRequest } from "fastify";
import { describePrincipal } from "../api/principal.js";
import type { AuditAction, AuditEntry } from "./audit-recorder.js";

/**
 * The audit entry for an action a request asked for: who (as access control decided) and
 * from where (`request.ip`, which believes X-Forwarded-For only from trusted proxies).
 */
export function auditEntry(
  request: Pick<FastifyRequest, "principal" | "ip">,
  action: AuditAction,
  detail?: Record<string, unknown>,
): AuditEntry {
  const entry: AuditEntry = { action, actor: describePrincipal(request.principal), ip: request.ip };
  if (detail !== undefined) entry.detail = detail;
  return entry;
}
