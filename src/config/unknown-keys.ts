import type { ConfigIssue, PathSegment } from "./issues.js";
import { formatPath } from "./issues.js";
import { knownKeysAt, leafPaths, schemaNodeAt } from "./json-schema.js";
import { closestMatch } from "./validators.js";

/**
 * Keys the schema does not know are warnings, not errors: an old or misspelt key must not
 * stop the service, but the person should learn that it has no effect.
 */
export function findUnknownKeys(data: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const walk = (value: unknown, path: PathSegment[]): void => {
    if (Array.isArray(value)) {
      if (schemaNodeAt([...path, 0])) value.forEach((item, index) => walk(item, [...path, index]));
      return;
    }
    if (value === null || typeof value !== "object") return;
    const known = knownKeysAt(path);
    if (!known) return;
    for (const [key, child] of Object.entries(value)) {
      if (known.includes(key)) walk(child, [...path, key]);
      else
        issues.push({
          severity: "warning",
          path: [...path, key],
          message: "unknown key, ignored",
          fix: suggest(key, known),
        });
    }
  };
  walk(data, []);
  return issues;
}

function suggest(key: string, siblings: string[]): string | undefined {
  const sibling = closestMatch(key, siblings);
  if (sibling) return `did you mean \`${sibling}\`?`;
  // A known key in the wrong section, e.g. `cron` at the top instead of under `schedule`.
  const elsewhere = leafPaths().find((path) => path[path.length - 1] === key);
  return elsewhere ? `did you mean \`${formatPath(elsewhere)}\`?` : undefined;
}
