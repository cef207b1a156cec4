import { cronProblem } from "./cron.js";
import type { FieldSpec } from "./schema-field.js";

/** What a widget produced: the value to send, or why it cannot be sent. */
export type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

const ok = (value: unknown): Parsed => ({ ok: true, value });
const bad = (error: string): Parsed => ({ ok: false, error });

function limits(spec: FieldSpec, value: number): string | null {
  if (spec.minimum !== undefined && value < spec.minimum) return `must be at least ${spec.minimum}`;
  if (spec.maximum !== undefined && value > spec.maximum && spec.maximum < Number.MAX_SAFE_INTEGER)
    return `must be at most ${spec.maximum}`;
  return null;
}

function checkText(spec: FieldSpec, text: string): string | null {
  if (spec.minLength !== undefined && text.length < spec.minLength)
    return spec.minLength === 1
      ? "must not be empty"
      : `needs at least ${spec.minLength} characters`;
  if (spec.pattern !== undefined && !new RegExp(spec.pattern, "u").test(text)) {
    const example = typeof spec.example === "string" ? `, like ${spec.example}` : "";
    return `is not in the expected form${example}`;
  }
  if (spec.format === "uri" && !/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(text))
    return "must be a full address such as https://example.org/…";
  if (spec.cron) {
    const problem = cronProblem(text);
    if (problem !== null) return `is not a cron expression: ${problem}`;
  }
  return null;
}

/** A whole number written in decimal digits, optionally negative: "1e3" and "0x10" are not. */
function parseWhole(text: string): number | null {
  return /^-?\d+$/.test(text) ? Number(text) : null;
}

/**
 * Turns what a text box holds into the value for the config, checked against the schema.
 * An empty box means "off" (null) for nullable fields.
 */
export function parseText(spec: FieldSpec, raw: string): Parsed {
  const text = raw.trim();
  if (text === "" && spec.nullable) return ok(null);
  switch (spec.kind) {
    case "integer": {
      if (text === "") return bad("enter a whole number");
      const value = parseWhole(text);
      if (value === null) return bad("must be a whole number");
      const problem = limits(spec, value);
      return problem ? bad(problem) : ok(value);
    }
    case "number": {
      const value = text === "" ? NaN : Number(text);
      if (!Number.isFinite(value)) return bad("must be a number");
      const problem = limits(spec, value);
      return problem ? bad(problem) : ok(value);
    }
    case "string-or-integer": {
      if (text === "") return bad("must not be empty");
      const value = parseWhole(text);
      if (value !== null) return value < 0 ? bad("must not be negative") : ok(value);
      return ok(text);
    }
    default: {
      const problem = checkText(spec, text);
      return problem ? bad(problem) : ok(text);
    }
  }
}

/** One entry per non-empty line; each entry checked like the list's items. */
export function parseLines(spec: FieldSpec, raw: string): Parsed {
  const items = raw
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
  if (spec.minItems !== undefined && items.length < spec.minItems)
    return bad(`needs at least ${spec.minItems} entr${spec.minItems === 1 ? "y" : "ies"}`);
  return ok(items);
}

/** The text a box shows for a value from the config. */
export function textOf(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map(String).join("\n");
  if (typeof value === "object") return JSON.stringify(value);
  if (typeof value === "string") return value;
  return typeof value === "number" || typeof value === "boolean" ? String(value) : "";
}
