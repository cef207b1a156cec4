import type { Parsed } from "./field-value.js";
import { pathKey, type FieldSpec } from "./schema-field.js";

/** What every widget needs from the form: the values as read, and where to report its own. */
export interface FormApi {
  config: Record<string, unknown>;
  /** A widget's latest value (or why it is not one); the form keeps the changed ones. */
  report(spec: FieldSpec, parsed: Parsed): void;
  /** The browser's own complaint about the field, shown as the person types. */
  localError(spec: FieldSpec): string | undefined;
  /** What the server said about this field on the last save (a 422). */
  serverErrors(spec: FieldSpec): string[];
  /** Off for a read-only session (an API token that may only read). */
  canWrite: boolean;
}

/** The id an input gets, and that its description and error hang off. */
export function fieldId(spec: FieldSpec): string {
  return `cfg-${pathKey(spec.path).replace(/[^A-Za-z0-9_-]/g, "-")}`;
}

/** Every field key a problem can be placed at (sections and their leaves). */
export function collectFieldKeys(
  specs: readonly FieldSpec[],
  into = new Set<string>(),
): Set<string> {
  for (const spec of specs) {
    into.add(pathKey(spec.path));
    if (spec.kind === "section") collectFieldKeys(spec.children, into);
  }
  return into;
}

/** The top-level section a field key belongs to ("schedule.folders[0]" → "schedule"). */
export function sectionOf(key: string): string {
  return /^[^.[]+/.exec(key)?.[0] ?? key;
}
