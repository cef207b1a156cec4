import { secretPaths } from "../config/json-schema.js";

/** What the API shows in place of a secret: whether one is set, never the value. */
export interface SecretPresence {
  set: boolean;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * A deep copy of `config` with the value at every secret path replaced by `{ set }`. Built
 * from the schema's own `secret` marks, so a secret added to the schema later is hidden too.
 */
export function redactSecrets(
  config: unknown,
  paths: readonly (readonly string[])[] = secretPaths(),
): unknown {
  const copy = structuredClone(config);
  for (const path of paths) {
    const parentPath = path.slice(0, -1);
    const key = path[path.length - 1];
    if (key === undefined) continue;
    let parent: unknown = copy;
    for (const segment of parentPath) parent = isRecord(parent) ? parent[segment] : undefined;
    if (!isRecord(parent)) continue;
    const value = parent[key];
    const presence: SecretPresence = { set: value !== null && value !== undefined && value !== "" };
    parent[key] = presence;
  }
  return copy;
}
