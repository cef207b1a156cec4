import { findContradictions, findSecretProblems } from "./contradictions.js";
import { errorsOf, formatPath, sortIssues, type ConfigIssue, type PathSegment } from "./issues.js";
import { resolveConfig, type PhotoferryConfig } from "./resolve-config.js";
import { configSchema } from "./schema/index.js";
import {
  defaultSecretEnvironment,
  resolveSecrets,
  type ResolvedSecrets,
  type SecretEnvironment,
} from "./secrets.js";
import { findUnknownKeys } from "./unknown-keys.js";
import { parseYamlSource, positionOf, type YamlSource } from "./yaml-source.js";
import { fromZodIssues } from "./zod-issues.js";
import { describePasswordHashProblem } from "../auth/password-hash.js";

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  secretEnvironment?: SecretEnvironment;
}

export interface LoadResult {
  /** Present only when there is no error (warnings are fine). */
  config?: PhotoferryConfig;
  /** Every problem at once, in file order, each with its line where it has one. */
  issues: ConfigIssue[];
  source: YamlSource;
  secrets: ResolvedSecrets;
}

/** The whole validation pipeline over the file's text. Reads no file but secret files. */
export function loadConfigText(text: string, options: LoadOptions = {}): LoadResult {
  const env = options.env ?? process.env;
  const secretEnvironment = options.secretEnvironment ?? defaultSecretEnvironment(env);
  const source = parseYamlSource(text);
  const noSecrets: ResolvedSecrets = { values: {}, sources: {}, issues: [] };
  if (errorsOf(source.issues).length > 0)
    return { issues: source.issues, source, secrets: noSecrets };

  const data: unknown = source.data ?? {};
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    const issue: ConfigIssue = {
      severity: "error",
      path: [],
      message: "the file must be a set of `key: value` sections",
      fix: "start from the example configuration",
      line: 1,
      column: 1,
    };
    return { issues: [issue], source, secrets: noSecrets };
  }

  const secrets = resolveSecrets(data, secretEnvironment);
  const issues: ConfigIssue[] = [
    ...source.issues,
    ...findUnknownKeys(data),
    ...secrets.issues,
    ...findSecretProblems(secrets, describePasswordHashProblem),
  ];
  const parsed = configSchema.safeParse(data);
  let config: PhotoferryConfig | undefined;
  if (parsed.success) {
    issues.push(...findContradictions(parsed.data, { secrets, env, data }));
    config = resolveConfig(parsed.data, secrets);
  } else {
    const invalid = fromZodIssues(parsed.error.issues, data);
    issues.push(...invalid);
    // Every problem at once: check the rest for contradictions with defaults in place of
    // the invalid values, keeping only errors about keys that were not already wrong
    // (warnings there would be about the stand-in defaults, not the person's values).
    const repaired = configSchema.safeParse(
      withoutPaths(
        data,
        invalid.map((issue) => issue.path),
      ),
    );
    if (repaired.success) {
      const wrong = new Set(invalid.map((issue) => formatPath(issue.path)));
      issues.push(
        ...findContradictions(repaired.data, { secrets, env, data }).filter(
          (issue) => issue.severity === "error" && !wrong.has(formatPath(issue.path)),
        ),
      );
    }
  }

  const located = sortIssues(
    issues.map((issue) => {
      if (issue.line !== undefined) return issue;
      const unknownKey = issue.message.startsWith("unknown key");
      const position = positionOf(source, issue.path, unknownKey ? "key" : "value");
      return position ? { ...issue, ...position } : issue;
    }),
  );
  const ok = errorsOf(located).length === 0;
  return { config: ok ? config : undefined, issues: located, source, secrets };
}

/** A copy of `data` without the values at `paths` (list items are removed, not nulled). */
function withoutPaths(data: unknown, paths: readonly PathSegment[][]): unknown {
  const copy = structuredClone(data);
  // Deepest and last list items first, so removing one does not shift another's index.
  const ordered = [...paths].sort(
    (a, b) => b.length - a.length || Number(b.at(-1)) - Number(a.at(-1)),
  );
  for (const path of ordered) {
    let parent: unknown = copy;
    for (const segment of path.slice(0, -1)) {
      parent =
        parent !== null && typeof parent === "object"
          ? (parent as Record<PathSegment, unknown>)[segment]
          : undefined;
    }
    const last = path.at(-1);
    if (last === undefined || parent === null || typeof parent !== "object") continue;
    if (Array.isArray(parent) && typeof last === "number") parent.splice(last, 1);
    else delete (parent as Record<PathSegment, unknown>)[last];
  }
  return copy;
}
