import { z } from "zod";
import { configSchema } from "./schema/index.js";
import type { PathSegment } from "./issues.js";

/** The subset of JSON Schema that zod emits for our config. */
export interface JsonSchemaNode {
  type?: string | string[];
  description?: string;
  default?: unknown;
  example?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  anyOf?: JsonSchemaNode[];
  requiresRestart?: boolean;
  secret?: boolean;
  [keyword: string]: unknown;
}

let cached: JsonSchemaNode | undefined;

/** The config's JSON Schema (input side: what a person writes), for UI forms and docs. */
export function configJsonSchema(): JsonSchemaNode {
  cached ??= z.toJSONSchema(configSchema, { io: "input" }) as JsonSchemaNode;
  return cached;
}

/** Unwraps `anyOf: [X, null]` to the branch that has structure. */
function structural(node: JsonSchemaNode): JsonSchemaNode {
  if (!node.anyOf) return node;
  return node.anyOf.find((branch) => branch.properties || branch.items) ?? node;
}

/** The schema nodes along `path`, from the root; shorter when the path leaves the schema. */
export function schemaTrail(path: readonly PathSegment[]): JsonSchemaNode[] {
  const trail = [configJsonSchema()];
  for (const segment of path) {
    const node = structural(trail[trail.length - 1]!);
    const next = typeof segment === "number" ? node.items : node.properties?.[segment];
    if (!next) break;
    trail.push(next);
  }
  return trail;
}

export function schemaNodeAt(path: readonly PathSegment[]): JsonSchemaNode | undefined {
  const trail = schemaTrail(path);
  return trail.length === path.length + 1 ? trail[trail.length - 1] : undefined;
}

/** The keys an object at `path` may have, or undefined when it is not an object. */
export function knownKeysAt(path: readonly PathSegment[]): string[] | undefined {
  const node = schemaNodeAt(path);
  const properties = node ? structural(node).properties : undefined;
  return properties ? Object.keys(properties) : undefined;
}

/** Every leaf path of the schema (objects are walked, arrays are leaves). */
export function leafPaths(): string[][] {
  const paths: string[][] = [];
  const walk = (node: JsonSchemaNode, path: string[]): void => {
    const properties = structural(node).properties;
    if (!properties) {
      paths.push(path);
      return;
    }
    for (const [key, child] of Object.entries(properties)) walk(child, [...path, key]);
  };
  walk(configJsonSchema(), []);
  return paths;
}

export function isSecretPath(path: readonly PathSegment[]): boolean {
  return schemaNodeAt(path)?.secret === true;
}

export const secretPaths: () => string[][] = () => leafPaths().filter((path) => isSecretPath(path));

/** A change at `path` needs a restart when the field or any section above it says so. */
export function requiresRestart(path: readonly PathSegment[]): boolean {
  return schemaTrail(path).some((node) => node.requiresRestart === true);
}
