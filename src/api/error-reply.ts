import { ConfigConflictError, ConfigFileError } from "../config/config-file.js";
import { ConfigInvalidError } from "../config/config-service.js";
import { formatIssue, formatPath } from "../config/issues.js";
import { ServiceBusyError } from "../service/service-contract.js";

/** The body of every error the API sends. */
export interface ErrorBody {
  /** Short and stable, for programs: "bad-request", "conflict", … */
  error: string;
  /** Plain words for people, saying what to do. */
  message: string;
  /** 422: every problem of the config, with its line. */
  issues?: {
    severity: string;
    path: string;
    line?: number;
    column?: number;
    message: string;
    fix?: string;
    text: string;
  }[];
  /** 409 on the config: the file's hash now, so the UI can reload and re-apply. */
  currentHash?: string;
}

export interface ErrorReply {
  status: number;
  body: ErrorBody;
}

/** A problem with the request that only the handler can see (e.g. `from` after `to`). */
export class BadRequestError extends Error {
  override readonly name = "BadRequestError";
}

/** What Fastify's ajv reports for one failed keyword. */
interface ValidationProblem {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

const contextWords: Record<string, string> = {
  body: "in the body",
  querystring: "in the query",
  params: "in the path",
  headers: "in the headers",
};

/** What a value with a `pattern` must look like, by field name; shown when it does not. */
const patternHints: Record<string, string> = {
  hash: "hex digits (a SHA-256 or SHA-1, or its beginning)",
  from: "a date like 2024-05-31 or 2024-05-31T12:00:00Z",
  to: "a date like 2024-05-31 or 2024-05-31T12:00:00Z",
};

const typeWords: Record<string, string> = {
  integer: "a whole number",
  number: "a number",
  string: "text",
  boolean: "true or false",
  object: "an object",
  array: "a list",
};

/** "/edits/0/path" → "edits[0].path" */
function fieldName(instancePath: string, child?: unknown): string {
  const segments = instancePath
    .split("/")
    .slice(1)
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
  if (typeof child === "string") segments.push(child);
  return formatPath(segments);
}

/** Turns ajv's first complaint into one sentence a person can act on. */
export function validationMessage(problem: ValidationProblem, context: string | undefined): string {
  const where = contextWords[context ?? ""] ?? "in the request";
  const { keyword, params } = problem;
  const field = fieldName(problem.instancePath);
  const subject = field === "" ? `the ${where.replace(/^in the /, "")}` : `\`${field}\` ${where}`;
  switch (keyword) {
    case "required":
      return `\`${fieldName(problem.instancePath, params.missingProperty)}\` is missing ${where}`;
    case "additionalProperties":
      return `\`${fieldName(problem.instancePath, params.additionalProperty)}\` ${where} is not a known field; check its spelling in /api/docs`;
    case "type":
      return `${subject} must be ${typeWords[String(params.type)] ?? String(params.type)}`;
    case "minimum":
      return `${subject} must be at least ${String(params.limit)}`;
    case "maximum":
      return `${subject} must be at most ${String(params.limit)}`;
    case "minLength":
      return params.limit === 1
        ? `${subject} must not be empty`
        : `${subject} must be at least ${String(params.limit)} characters long`;
    case "maxLength":
      return `${subject} must be at most ${String(params.limit)} characters long`;
    case "minItems":
      return `${subject} must have at least ${String(params.limit)} item(s)`;
    case "maxItems":
      return `${subject} must have at most ${String(params.limit)} items`;
    case "enum":
      return `${subject} must be one of: ${(params.allowedValues as unknown[]).map(String).join(", ")}`;
    case "pattern": {
      const last = field.split(".").pop() ?? field;
      return `${subject} must be ${patternHints[last] ?? `in the form ${String(params.pattern)}`}`;
    }
    default:
      return `${subject} ${problem.message ?? "is not valid"}`;
  }
}

interface FrameworkError {
  code?: string;
  statusCode?: number;
  message: string;
  validation?: ValidationProblem[];
  validationContext?: string;
}

function frameworkReply(error: FrameworkError, bodyLimit: number): ErrorReply | undefined {
  const status = error.statusCode;
  if (status === undefined || status < 400 || status >= 500) return undefined;
  const reply = (message: string, code = "bad-request", statusCode = status): ErrorReply => ({
    status: statusCode,
    body: { error: code, message },
  });
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return reply(`the request body is larger than ${bodyLimit} bytes`, "too-large");
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return reply("send the body as JSON, with Content-Type: application/json", "unsupported");
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return reply("the body is empty but Content-Type says JSON: send {} or leave both out");
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return reply("the body is not valid JSON");
    default:
      if (status === 429) return reply(error.message, "too-many-requests");
      if (status === 404) return reply(error.message, "not-found");
      return reply(error.message);
  }
}

/**
 * The one place where errors become HTTP replies. Anything not recognised is a 500 whose body
 * says nothing about the inside (paths, stack, config); the caller logs the error itself.
 */
export function errorReply(error: unknown, options: { bodyLimit: number }): ErrorReply {
  if (error instanceof ConfigConflictError) {
    return {
      status: 409,
      body: { error: "conflict", message: error.message, currentHash: error.current.hash },
    };
  }
  if (error instanceof ConfigInvalidError) {
    const issues = error.issues.map((issue) => ({
      severity: issue.severity,
      path: formatPath(issue.path),
      ...(issue.line === undefined ? {} : { line: issue.line }),
      ...(issue.column === undefined ? {} : { column: issue.column }),
      message: issue.message,
      ...(issue.fix === undefined ? {} : { fix: issue.fix }),
      text: formatIssue(issue),
    }));
    const count = issues.filter((issue) => issue.severity === "error").length;
    return {
      status: 422,
      body: {
        error: "invalid-config",
        message: `the change would make the config invalid (${count} problem${count === 1 ? "" : "s"}); nothing was written`,
        issues,
      },
    };
  }
  if (error instanceof ServiceBusyError) {
    return { status: 409, body: { error: "busy", message: error.message } };
  }
  if (error instanceof BadRequestError) {
    return { status: 400, body: { error: "bad-request", message: error.message } };
  }
  if (error instanceof ConfigFileError) {
    return {
      status: 503,
      body: { error: "config-unreadable", message: `${error.message}; ${error.fix}` },
    };
  }
  if (error instanceof Error) {
    const framework = error as FrameworkError;
    const first = framework.validation?.[0];
    if (first) {
      return {
        status: 400,
        body: {
          error: "bad-request",
          message: validationMessage(first, framework.validationContext),
        },
      };
    }
    const known = frameworkReply(framework, options.bodyLimit);
    if (known) return known;
  }
  return {
    status: 500,
    body: {
      error: "internal",
      message: "something went wrong inside photoferry; the details are in its log",
    },
  };
}
