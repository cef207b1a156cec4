import { formatPath, type ConfigIssue } from "../config/issues.js";
import { fail, ok, warn, type CheckResult } from "./check-result.js";

/**
 * The config file first: one line for the file, then one per problem. Everything else
 * is checked only when this has no failure, since it needs a valid config.
 */
export function judgeConfig(path: string, issues: readonly ConfigIssue[]): CheckResult[] {
  const errors = issues.filter((issue) => issue.severity === "error");
  const head =
    errors.length === 0
      ? ok("config", "config file", `${path} is valid`)
      : fail(
          "config",
          "config file",
          `${path} has ${errors.length} error(s); nothing else was checked`,
          "fix the errors below (`photoferry check-config` explains each), then run doctor again",
        );
  return [head, ...issues.map(issueResult)];
}

function issueResult(issue: ConfigIssue): CheckResult {
  const where = issue.path.length > 0 ? formatPath(issue.path) : "config file";
  const line = issue.line !== undefined ? ` (line ${issue.line})` : "";
  const make = issue.severity === "error" ? fail : warn;
  return make(
    "config",
    `${where}${line}`,
    issue.message,
    issue.fix ?? "see `photoferry check-config`",
  );
}

/** The file could not be read at all. */
export function judgeUnreadableConfig(message: string, fix: string): CheckResult[] {
  return [fail("config", "config file", message, fix)];
}
