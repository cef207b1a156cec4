/** One problem of a refused config save, as the 422 body lists it. */
interface Problem {
  path: string;
  message: string;
  fix: string | undefined;
}

export interface PlacedProblems<F extends string> {
  /** The first problem of each field, in plain words. */
  byField: Partial<Record<F, string>>;
  /** Problems no field of this page owns (another section made invalid, a file error). */
  other: string[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Reads the problems of a 422 body. The server sends `issues` (path as `a.b.c`); the client
 * type names `problems`: both are read so a rename on either side still shows the problems.
 */
export function problemsOf(body: unknown): Problem[] {
  if (!isRecord(body)) return [];
  const list = Array.isArray(body.issues)
    ? body.issues
    : Array.isArray(body.problems)
      ? body.problems
      : [];
  const problems: Problem[] = [];
  for (const item of list as unknown[]) {
    if (!isRecord(item) || typeof item.message !== "string") continue;
    if (item.severity === "warning") continue;
    problems.push({
      path: typeof item.path === "string" ? item.path : "",
      message: item.message,
      fix: typeof item.fix === "string" ? item.fix : undefined,
    });
  }
  return problems;
}

/** Puts each problem beside the field whose config path is its path (or a parent of it). */
export function placeProblems<F extends string>(
  body: unknown,
  fieldPaths: Record<F, string>,
): PlacedProblems<F> {
  const byField: Partial<Record<F, string>> = {};
  const other: string[] = [];
  const fields = Object.entries(fieldPaths) as [F, string][];
  for (const problem of problemsOf(body)) {
    const words = problem.fix ? `${problem.message} — ${problem.fix}` : problem.message;
    const owner = fields.find(
      ([, path]) => problem.path === path || problem.path.startsWith(`${path}.`),
    );
    if (owner) byField[owner[0]] ??= sentence(words);
    else other.push(problem.path ? `${problem.path}: ${words}` : words);
  }
  return { byField, other };
}

const sentence = (words: string): string =>
  words.length > 0 ? words[0]!.toUpperCase() + words.slice(1) : words;
