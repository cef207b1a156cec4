export type PathSegment = string | number;
export type Severity = "error" | "warning";

/** One problem found in the config, located in the file where possible. */
export interface ConfigIssue {
  severity: Severity;
  path: PathSegment[];
  message: string;
  /** A plain-words way out, e.g. "keep only one of them". */
  fix?: string;
  line?: number;
  column?: number;
}

export function formatPath(path: readonly PathSegment[]): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else text += text === "" ? segment : `.${segment}`;
  }
  return text;
}

/** Renders e.g. "`schedule.cron` (line 9): 'x' is not a cron expression — try …". */
export function formatIssue(issue: ConfigIssue): string {
  const where = issue.path.length > 0 ? `\`${formatPath(issue.path)}\`` : "the file";
  const line = issue.line !== undefined ? ` (line ${issue.line})` : "";
  const fix = issue.fix ? ` — ${issue.fix}` : "";
  return `${where}${line}: ${issue.message}${fix}`;
}

export function errorsOf(issues: readonly ConfigIssue[]): ConfigIssue[] {
  return issues.filter((issue) => issue.severity === "error");
}

export function sortIssues(issues: readonly ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort(
    (a, b) =>
      (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      formatPath(a.path).localeCompare(formatPath(b.path)),
  );
}

/** The value at `path` in parsed YAML data, or undefined where the path does not exist. */
export function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let current = data;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PathSegment, unknown>)[segment];
  }
  return current;
}
