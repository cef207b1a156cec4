import { z } from "zod";
import {
  cronProblem,
  isAbsolutePath,
  isContainedRelativePath,
  parseCidr,
  parseFileMode,
} from "../validators.js";

/**
 * Metadata every field carries. It ends up in the JSON Schema (for the UI forms and the
 * configuration reference) and drives restart hints, secret redaction and "try …" fixes.
 */
export type FieldMeta = {
  description: string;
  /** Shown in error messages as "try `…`" and in the reference. */
  example?: unknown;
  /** Changing the value only takes effect after a restart. */
  requiresRestart?: boolean;
  /** Never shown by the API, the UI or the logs. */
  secret?: boolean;
};

// Custom issues carry their own plain-words fix in `params.fix`.
function fail(ctx: z.RefinementCtx, message: string, fix?: string): void {
  ctx.addIssue({ code: "custom", message, params: fix ? { fix } : {} });
}

export function absolutePath(meta: FieldMeta) {
  return z
    .string()
    .superRefine((value, ctx) => {
      if (!isAbsolutePath(value))
        fail(ctx, `'${value}' is not an absolute path`, "start it with /");
    })
    .meta(meta);
}

export function relativePath(meta: FieldMeta) {
  return z
    .string()
    .superRefine((value, ctx) => {
      if (!isContainedRelativePath(value)) {
        fail(
          ctx,
          `'${value}' must be a folder below the user's files, without a leading / or ..`,
          `write it like \`InstantUpload\``,
        );
      }
    })
    .meta(meta);
}

export function cronExpression(meta: FieldMeta) {
  return z
    .string()
    .superRefine((value, ctx) => {
      if (cronProblem(value) !== null) {
        fail(ctx, `'${value}' is not a cron expression`, "try `*/15 * * * *` (every 15 minutes)");
      }
    })
    .meta(meta);
}

export function cidrList(meta: FieldMeta) {
  return z
    .array(
      z.string().superRefine((value, ctx) => {
        if (!parseCidr(value)) {
          fail(
            ctx,
            `'${value}' is not an IP address or CIDR range`,
            "write it like `192.168.1.0/24` or `fd00::/8`",
          );
        }
      }),
    )
    .default([])
    .meta(meta);
}

export function fileMode(meta: FieldMeta) {
  return z
    .string()
    .superRefine((value, ctx) => {
      if (parseFileMode(value) === null) {
        fail(ctx, `'${value}' is not an octal file mode`, 'write it in quotes, like `"0644"`');
      }
    })
    .meta(meta);
}

export function port(meta: FieldMeta) {
  return z.number().int().min(1).max(65535).meta(meta);
}

/** A Unix user as `docker exec -u` takes it: a name or a numeric uid (optionally `uid:gid`). */
export function execUser(meta: FieldMeta) {
  return z
    .union([z.string().min(1), z.number().int().nonnegative()])
    .transform(String)
    .meta(meta);
}

export function argv(meta: FieldMeta) {
  return z.array(z.string().min(1)).min(1).meta(meta);
}

export const runnerKind = z.enum(["docker", "ssh", "local"]);
