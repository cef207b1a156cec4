import type { z } from "zod";
import { valueAt, type ConfigIssue, type PathSegment } from "./issues.js";
import { isSecretPath, schemaNodeAt } from "./json-schema.js";
import { closestMatch } from "./validators.js";

type ZodIssue = z.core.$ZodIssue;

const hiddenSecret = Symbol("secret");

/** Turns zod's issues into plain-words issues, each with a fix where one is known. */
export function fromZodIssues(issues: readonly ZodIssue[], input: unknown): ConfigIssue[] {
  return issues.flatMap((issue) => expand(issue, input));
}

function expand(issue: ZodIssue, input: unknown): ConfigIssue[] {
  const path = issue.path.filter((s): s is PathSegment => typeof s !== "symbol");
  // A union (e.g. a user that is a name or a uid) reports each branch; one message is enough.
  if (issue.code === "invalid_union") {
    return [
      {
        severity: "error",
        path,
        message: `${describe(valueAt(input, path))} is not accepted here`,
        fix: tryExample(path),
      },
    ];
  }
  // A secret's value is never echoed back, even when it is wrong.
  const value = isSecretPath(path) ? hiddenSecret : valueAt(input, path);
  return [{ severity: "error", path, ...explain(issue, value, path) }];
}

function explain(
  issue: ZodIssue,
  value: unknown,
  path: PathSegment[],
): { message: string; fix?: string } {
  const example = tryExample(path);
  switch (issue.code) {
    case "invalid_type":
      if (value === undefined) return { message: "is required", fix: example };
      return {
        message: `expected ${article(issue.expected)}, got ${describe(value)}`,
        fix: example,
      };
    case "invalid_value": {
      const allowed = issue.values.map(String);
      const guess = typeof value === "string" ? closestMatch(value, allowed) : undefined;
      return {
        message: `${describe(value)} is not one of ${allowed.map((v) => `\`${v}\``).join(", ")}`,
        fix: guess ? `did you mean \`${guess}\`?` : undefined,
      };
    }
    case "too_small":
      if (issue.origin === "array")
        return {
          message: `needs at least ${String(issue.minimum)} entr${issue.minimum === 1 ? "y" : "ies"}`,
          fix: example,
        };
      if (issue.origin === "string") return { message: "must not be empty", fix: example };
      return {
        message: `${describe(value)} is too small: the minimum is ${String(issue.minimum)}`,
        fix: example,
      };
    case "too_big":
      return {
        message: `${describe(value)} is too large: the maximum is ${String(issue.maximum)}`,
        fix: example,
      };
    case "invalid_format":
      return {
        message: `${describe(value)} ${issue.format === "url" ? "is not a valid http(s) URL" : issue.message}`,
        fix: example,
      };
    case "custom": {
      const fix = (issue.params as { fix?: string } | undefined)?.fix;
      return { message: issue.message, fix: fix ?? example };
    }
    case "unrecognized_keys":
    case "invalid_union":
    case "invalid_key":
    case "invalid_element":
    case "not_multiple_of":
      return { message: issue.message, fix: example };
  }
}

function tryExample(path: PathSegment[]): string | undefined {
  const example = schemaNodeAt(path)?.example;
  return example === undefined
    ? undefined
    : `try \`${JSON.stringify(example).replace(/,/g, ", ")}\``;
}

function article(expected: string): string {
  const names: Record<string, string> = {
    number: "a number",
    string: "text",
    boolean: "true or false",
    array: "a list",
    object: "a section of keys",
    int: "a whole number",
  };
  return names[expected] ?? expected;
}

export function describe(value: unknown): string {
  if (value === hiddenSecret) return "the value given";
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (typeof value === "string") return `'${value}'`;
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a section of keys";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return typeof value;
}
