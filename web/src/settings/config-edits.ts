export interface Draft {
  path: string[];
  value: unknown;
}

export interface ConfigEditOut {
  path: string[];
  value: unknown;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) =>
    deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}

function valueAt(config: unknown, path: readonly string[]): unknown {
  let current: unknown = config;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * The edits to send: only drafts whose value differs from the config as read, so a save
 * never rewrites a key the person did not change.
 */
export function changedEdits(config: unknown, drafts: Iterable<Draft>): ConfigEditOut[] {
  const edits: ConfigEditOut[] = [];
  for (const draft of drafts) {
    if (!deepEqual(draft.value, valueAt(config, draft.path))) {
      edits.push({ path: draft.path, value: draft.value });
    }
  }
  return edits;
}

/** One problem the server reported on a save (a 422). */
export interface ServerProblem {
  path?: string;
  line?: number;
  message: string;
  fix?: string;
}

/** Reads the problems of a 422 body: photoferry sends `issues`; `problems` is the older name. */
export function serverProblems(body: Record<string, unknown>): ServerProblem[] {
  const list = Array.isArray(body.issues) ? body.issues : body.problems;
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: unknown): ServerProblem[] => {
    if (typeof item !== "object" || item === null) return [];
    const record = item as Record<string, unknown>;
    if (typeof record.message !== "string") return [];
    if (record.severity !== undefined && record.severity !== "error") return [];
    return [
      {
        message: record.message,
        ...(typeof record.path === "string" ? { path: record.path } : {}),
        ...(typeof record.line === "number" ? { line: record.line } : {}),
        ...(typeof record.fix === "string" ? { fix: record.fix } : {}),
      },
    ];
  });
}

export function problemText(problem: ServerProblem): string {
  const line = problem.line === undefined ? "" : ` (line ${problem.line})`;
  return `${problem.message}${problem.fix ? ` — ${problem.fix}` : ""}${line}`;
}

/**
 * Places each problem beside the field it concerns: the shown field whose key is the
 * problem's path or the nearest one above it (a problem in `schedule.folders[1].cron` shows at
 * the folders list). Problems no shown field owns are returned apart, for the top of the page.
 */
export function placeProblems(
  problems: readonly ServerProblem[],
  fieldKeys: ReadonlySet<string>,
): { byField: Map<string, string[]>; unplaced: string[] } {
  const byField = new Map<string, string[]>();
  const unplaced: string[] = [];
  for (const problem of problems) {
    const owner = problem.path === undefined ? undefined : nearestField(problem.path, fieldKeys);
    if (owner === undefined) {
      unplaced.push(
        problem.path ? `${problem.path}: ${problemText(problem)}` : problemText(problem),
      );
      continue;
    }
    byField.set(owner, [...(byField.get(owner) ?? []), problemText(problem)]);
  }
  return { byField, unplaced };
}

function nearestField(path: string, fieldKeys: ReadonlySet<string>): string | undefined {
  let candidate = path;
  for (;;) {
    if (fieldKeys.has(candidate)) return candidate;
    const cut = Math.max(candidate.lastIndexOf("."), candidate.lastIndexOf("["));
    if (cut <= 0) return undefined;
    candidate = candidate.slice(0, cut);
  }
}
