/**
 * Reads the config's JSON Schema (what `GET /api/config` sends, made by zod) into field
 * descriptions a form can render: one widget kind per node, with the limits to check in the
 * browser before anything is sent.
 */

/** The subset of JSON Schema that zod emits for photoferry's config. */
export interface SchemaNode {
  type?: string | string[];
  description?: string;
  default?: unknown;
  example?: unknown;
  enum?: unknown[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  required?: string[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  pattern?: string;
  format?: string;
  requiresRestart?: boolean;
  secret?: boolean;
  additionalProperties?: unknown;
}

export type FieldKind =
  | "section"
  | "boolean"
  | "enum"
  | "integer"
  | "number"
  | "string"
  | "string-or-integer"
  | "string-list"
  | "enum-list"
  | "object-list"
  | "string-map"
  | "secret";

export interface FieldSpec {
  kind: FieldKind;
  path: string[];
  /** The key itself, for labels ("settleSeconds"). */
  name: string;
  description: string;
  example: unknown;
  default: unknown;
  /** `null` is a meaningful value (e.g. a cron of `null` turns the schedule off). */
  nullable: boolean;
  requiresRestart: boolean;
  options: string[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  minItems?: number;
  pattern?: string;
  format?: string;
  /** Cron expressions get the schedule widget (presets, plain words, next runs). */
  cron: boolean;
  /** Nested fields of a section, or of one item of an object list. */
  children: FieldSpec[];
}

function typesOf(node: SchemaNode): string[] {
  if (node.type === undefined) return [];
  return Array.isArray(node.type) ? node.type : [node.type];
}

/** Folds `anyOf: [X, null]` into X (+ nullable), and `anyOf: [string, integer]` into one. */
function flatten(node: SchemaNode): { node: SchemaNode; nullable: boolean; types: string[] } {
  if (!node.anyOf) {
    const types = typesOf(node);
    return { node, nullable: types.includes("null"), types: types.filter((t) => t !== "null") };
  }
  const branches = node.anyOf.filter((branch) => !typesOf(branch).includes("null"));
  const nullable = branches.length < node.anyOf.length;
  const types = branches.flatMap(typesOf);
  // Keywords written beside `anyOf` (description, default) win over the branch's own.
  const outer: SchemaNode = { ...node };
  delete outer.anyOf;
  const merged: SchemaNode = Object.assign({}, ...branches, outer) as SchemaNode;
  return { node: merged, nullable, types };
}

function kindOf(node: SchemaNode, types: string[]): FieldKind {
  if (node.secret) return "secret";
  if (types.includes("string") && types.includes("integer")) return "string-or-integer";
  if (node.enum) return "enum";
  const [type] = types;
  switch (type) {
    case "boolean":
      return "boolean";
    case "integer":
      return "integer";
    case "number":
      return "number";
    case "array": {
      const item = node.items ? flatten(node.items) : undefined;
      if (item?.node.enum) return "enum-list";
      if (item?.types.includes("object")) return "object-list";
      return "string-list";
    }
    case "object":
      return node.properties ? "section" : "string-map";
    default:
      return "string";
  }
}

/** One field description for the node at `path`. */
export function fieldSpec(source: SchemaNode, path: string[]): FieldSpec {
  const { node, nullable, types } = flatten(source);
  const kind = kindOf(node, types);
  const name = path[path.length - 1] ?? "";
  const itemNode = node.items ? flatten(node.items).node : undefined;
  const childSource = kind === "object-list" ? itemNode?.properties : node.properties;
  const children =
    kind === "section" || kind === "object-list"
      ? Object.entries(childSource ?? {}).map(([key, child]) => fieldSpec(child, [...path, key]))
      : [];
  const options = (kind === "enum-list" ? itemNode?.enum : node.enum) ?? [];
  return {
    kind,
    path,
    name,
    description: node.description ?? "",
    example: node.example,
    default: node.default,
    nullable,
    requiresRestart: node.requiresRestart === true,
    options: options.map(String),
    minimum: node.minimum,
    maximum: node.maximum,
    minLength: kind === "string-list" ? itemNode?.minLength : node.minLength,
    minItems: node.minItems,
    pattern: node.pattern,
    format: node.format,
    cron: name === "cron" && types.includes("string"),
    children,
  };
}

/** One section per top-level key of the config, in the schema's order. */
export function configSections(schema: SchemaNode): FieldSpec[] {
  return Object.entries(schema.properties ?? {}).map(([key, node]) => fieldSpec(node, [key]));
}

/** "settleSeconds" → "Settle seconds"; "uiUrl" → "UI URL". */
export function humanName(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(" ")
    .map((word) => (/^(url|ui|api|ssh|uid|gid|occ|id)$/i.test(word) ? word.toUpperCase() : word));
  const text = words.join(" ");
  return (
    text.charAt(0).toUpperCase() + text.slice(1).replace(/ [A-Z][a-z]/g, (w) => w.toLowerCase())
  );
}

/** The key form used to index drafts and server problems: "schedule.folders[0].cron". */
export function pathKey(path: readonly (string | number)[]): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number" || /^\d+$/.test(segment)) text += `[${segment}]`;
    else text += text === "" ? segment : `.${segment}`;
  }
  return text;
}
