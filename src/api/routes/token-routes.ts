import type { FastifyInstance } from "fastify";
import type { ApiToken, TokenScope } from "../access/token-store.js";
import { describePrincipal } from "../principal.js";
import { errors } from "../schemas.js";
import type { ApiDeps } from "../server.js";

/** Enough for every script and scraper; a bound so a stuck loop cannot fill the table. */
export const MAX_TOKENS = 100;

const scopeSchema = { type: "string", enum: ["read", "write"] } as const;
const tokenProperties = {
  id: { type: "string" },
  name: { type: "string" },
  scope: scopeSchema,
  createdAt: { type: "string" },
} as const;
const tokenSchema = {
  type: "object",
  properties: { ...tokenProperties, lastUsedAt: { type: ["string", "null"] } },
  required: ["id", "name", "scope", "createdAt", "lastUsedAt"],
  additionalProperties: false,
} as const;

const iso = (ms: number) => new Date(ms).toISOString();
const view = (token: ApiToken) => ({
  id: token.id,
  name: token.name,
  scope: token.scope,
  createdAt: iso(token.createdAt),
  lastUsedAt: token.lastUsedAt === null ? null : iso(token.lastUsedAt),
});

/**
 * API tokens for scripts and Prometheus. Access control lets only a session, trusted-header
 * or open principal reach these routes: a token cannot mint or list tokens.
 */
export function registerTokenRoutes(
  app: FastifyInstance,
  { tokens, audit }: ApiDeps,
  now: () => number,
): void {
  app.get(
    "/api/tokens",
    {
      schema: {
        summary: "The API tokens (never their secret)",
        tags: ["auth"],
        response: {
          200: {
            type: "object",
            properties: { items: { type: "array", items: tokenSchema } },
            required: ["items"],
            additionalProperties: false,
          },
          ...errors(),
        },
      },
    },
    () => ({ items: tokens.list().map(view) }),
  );

  app.post<{ Body: { name: string; scope: TokenScope } }>(
    "/api/tokens",
    {
      schema: {
        summary: "Create a token; its secret is in this reply only",
        tags: ["auth"],
        body: {
          type: "object",
          properties: {
            name: {
              type: "string",
              minLength: 1,
              maxLength: 64,
              pattern: "^[^\\u0000-\\u001f\\u007f]+$",
            },
            scope: scopeSchema,
          },
          required: ["name", "scope"],
          additionalProperties: false,
        },
        response: {
          201: {
            type: "object",
            properties: { ...tokenProperties, token: { type: "string" } },
            required: ["id", "name", "scope", "createdAt", "token"],
            additionalProperties: false,
          },
          ...errors(409),
        },
      },
    },
    async (request, reply) => {
      if (tokens.list().length >= MAX_TOKENS) {
        return reply.code(409).send({
          error: "conflict",
          message: `there are already ${MAX_TOKENS} tokens; revoke unused ones first`,
        });
      }
      const { token, secret } = tokens.create(request.body.name.trim(), request.body.scope, now());
      audit.record({
        action: "token-create",
        actor: describePrincipal(request.principal),
        ip: request.ip,
        detail: { id: token.id, name: token.name, scope: token.scope },
      });
      const { id, name, scope, createdAt } = view(token);
      return reply
        .code(201)
        .header("cache-control", "no-store")
        .send({ id, name, scope, createdAt, token: secret });
    },
  );

  app.delete<{ Params: { id: string } }>(
    "/api/tokens/:id",
    {
      schema: {
        summary: "Revoke a token; it stops working at once",
        tags: ["auth"],
        params: {
          type: "object",
          properties: { id: { type: "string", pattern: "^[0-9a-f]{16}$" } },
          required: ["id"],
        },
        response: { 204: { type: "null" }, ...errors(404) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!tokens.revoke(id)) {
        return reply.code(404).send({
          error: "not-found",
          message: `there is no token ${id}; it may be revoked already`,
        });
      }
      audit.record({
        action: "token-revoke",
        actor: describePrincipal(request.principal),
        ip: request.ip,
        detail: { id },
      });
      return reply.code(204).send();
    },
  );
}
