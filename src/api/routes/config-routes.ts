import type { FastifyInstance } from "fastify";
import type { ConfigState } from "../../config/config-service.js";
import { formatIssue } from "../../config/issues.js";
import { configJsonSchema } from "../../config/json-schema.js";
import { configDiff } from "../../audit/config-diff.js";
import { auditEntry } from "../../audit/request-audit.js";
import { redactSecrets } from "../redact-config.js";
import type { ApiDeps } from "../server.js";
import { errors } from "../schemas.js";

const anyObject = { type: "object", additionalProperties: true } as const;
const textList = { type: "array", items: { type: "string" } } as const;

interface UpdateBody {
  baseHash: string;
  edits: { path: string[]; value: unknown }[];
}

/** The config with secrets shown only as `{ set }`; the file text itself is never sent. */
const configView = (state: ConfigState) => ({
  config: redactSecrets(state.config),
  hash: state.snapshot.hash,
  warnings: state.issues.filter((issue) => issue.severity === "warning").map(formatIssue),
});

export function registerConfigRoutes(app: FastifyInstance, { config, audit }: ApiDeps): void {
  app.get(
    "/api/config",
    {
      schema: {
        summary: "The config in use (secrets only as {set}), the file's hash and the JSON Schema",
        tags: ["config"],
        response: {
          200: {
            type: "object",
            properties: {
              config: anyObject,
              hash: { type: "string" },
              warnings: textList,
              fileProblems: textList,
              schema: anyObject,
            },
            required: ["config", "hash", "warnings", "fileProblems", "schema"],
          },
          ...errors(),
        },
      },
    },
    () => ({
      ...configView(config.current),
      // A broken hand edit: the service keeps the last good config, and the UI says why.
      fileProblems: config.lastError?.issues.map(formatIssue) ?? [],
      schema: configJsonSchema(),
    }),
  );

  app.put<{ Body: UpdateBody }>(
    "/api/config",
    {
      schema: {
        summary: "Change keys; comments and layout of the file are kept",
        description:
          "Refused with 409 when the file changed since `baseHash` was read, and with 422 " +
          "(every problem, with its line) when the result would be invalid. Secrets may be " +
          "set here but are never sent back.",
        tags: ["config"],
        body: {
          type: "object",
          properties: {
            baseHash: { type: "string", pattern: "^[0-9a-f]{64}$" },
            edits: {
              type: "array",
              minItems: 1,
              maxItems: 200,
              items: {
                type: "object",
                properties: {
                  path: {
                    type: "array",
                    minItems: 1,
                    maxItems: 10,
                    items: { type: "string", minLength: 1, maxLength: 100 },
                  },
                  value: { description: "Any JSON value; null clears a key" },
                },
                required: ["path", "value"],
                additionalProperties: false,
              },
            },
          },
          required: ["baseHash", "edits"],
          additionalProperties: false,
        },
        response: {
          200: {
            type: "object",
            properties: {
              config: anyObject,
              hash: { type: "string" },
              warnings: textList,
              restartRequired: textList,
              layoutKept: { type: "boolean" },
            },
            required: ["config", "hash", "warnings", "restartRequired", "layoutKept"],
          },
          ...errors(403, 409, 422, 503),
        },
      },
    },
    (request, reply) => {
      const { baseHash, edits } = request.body;
      // `web` holds the password hash, the allow-list, the trusted proxies and header: a
      // token that could edit it could let itself in as an admin (and mint tokens).
      if (request.principal?.kind === "token" && edits.some((edit) => edit.path[0] === "web")) {
        audit.record(
          auditEntry(request, "access-refused", { reason: "token edits web", status: 403 }),
        );
        return reply.code(403).send({
          error: "forbidden",
          message:
            "API tokens cannot change the web section (password, allow-list, proxies); " +
            "log in to the web UI to do that",
        });
      }
      const before = config.current.config;
      const result = config.update(edits, baseHash);
      // The diff of the configs in use, not of the edits: it shows defaults that took effect
      // and a secret set inside a whole section, and never a secret's value.
      audit.record(
        auditEntry(request, "config-change", {
          changes: configDiff(before, result.state.config),
          restartRequired: result.restartRequired,
        }),
      );
      return {
        ...configView(result.state),
        restartRequired: result.restartRequired,
        layoutKept: result.layoutKept,
      };
    },
  );
}
