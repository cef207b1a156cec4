import { secretPaths } from "../config/json-schema.js";

/** One changed key of a config edit, as the audit log keeps it. */
export interface ConfigChangeLine {
  /** Dotted: `schedule.cron`. */
  path: string;
  /** The old value; `null` when the key was not set. Secrets: `"(secret)"`. */
  from: unknown;
  /** The new value; `null` when removed. Secrets: `"(secret changed)"`. */
  to: unknown;
}

export const SECRET_BEFORE = "(secret)";
export const SECRET_AFTER = "(secret changed)";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const isSet = (value: unknown) => value !== null && value !== undefined && value !== "";

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The keys that differ between two configs, with secret values replaced by markers: the
 * audit log shows *that* a token changed, never the token. Walks objects; arrays and other
 * values are compared whole. Secret paths come from the schema's own `secret` marks, so a
 * secret added later is hidden without touching this code.
 */
export function configDiff(
  before: unknown,
  after: unknown,
  secrets: readonly (readonly string[])[] = secretPaths(),
): ConfigChangeLine[] {
  const secretKeys = new Set(secrets.map((path) => path.join(".")));
  const changes: ConfigChangeLine[] = [];
  const walk = (a: unknown, b: unknown, path: string[]): void => {
    const key = path.join(".");
    if (secretKeys.has(key)) {
      if (!same(a, b)) {
        changes.push({
          path: key,
          from: isSet(a) ? SECRET_BEFORE : null,
          to: isSet(b) ? SECRET_AFTER : null,
        });
      }
      return;
    }
    // A section that appears or disappears (`webhook: null`) is walked like an empty one,
    // so a secret inside it still reaches the branch above.
    const bothStructured = (isRecord(a) || a == null) && (isRecord(b) || b == null);
    if (bothStructured && (isRecord(a) || isRecord(b))) {
      const left = isRecord(a) ? a : {};
      const right = isRecord(b) ? b : {};
      for (const child of new Set([...Object.keys(left), ...Object.keys(right)])) {
        walk(left[child], right[child], [...path, child]);
      }
      return;
    }
    if (!same(a, b)) {
      changes.push({ path: key, from: scrub(a, path, secretKeys), to: scrub(b, path, secretKeys) });
    }
  };
  walk(before, after, []);
  return changes;
}

/** A copy of `value` (found at `path`) with every secret below it replaced by a marker. */
function scrub(value: unknown, path: string[], secretKeys: ReadonlySet<string>): unknown {
  if (value === undefined) return null;
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => {
      const childPath = [...path, key];
      if (secretKeys.has(childPath.join("."))) return [key, isSet(child) ? SECRET_BEFORE : null];
      return [key, scrub(child, childPath, secretKeys)];
    }),
  );
}
