import type { CommandResult } from "../runners/runner.js";
import { detectOccFailure, type OccFailure, type OccFailureKind } from "./occ-failure.js";
import { cleanText, type OccProblem } from "./occ-output.js";

/** The fields of `occ status --output=json` photoferry relies on. */
export interface NextcloudStatus {
  installed: boolean;
  /** e.g. "33.0.8.1" */
  version: string;
  /** e.g. "33.0.8" */
  versionstring: string;
  maintenance: boolean;
  needsDbUpgrade: boolean;
}

export type StatusProblemKind =
  "not-installed" | "maintenance-mode" | "needs-upgrade" | "unreadable-output" | OccFailureKind;

export interface StatusCheck {
  /** Nextcloud is installed, out of maintenance and needs no upgrade: app commands will work. */
  ok: boolean;
  status?: NextcloudStatus;
  /** The major version (33 for "33.0.8.1"), when the version could be read. */
  majorVersion?: number;
  problems: OccProblem<StatusProblemKind>[];
  failure?: OccFailure;
}

/**
 * Reads `occ status --output=json`. The JSON may be preceded by other lines (the PCNTL
 * warning, the maintenance notice on some versions), so the JSON object is searched for.
 */
export function parseStatus(result: CommandResult): StatusCheck {
  const failure = detectOccFailure(result);
  if (failure) {
    return { ok: false, failure, problems: [failure] };
  }
  const status = findStatusJson(cleanText(result.stdout));
  if (!status) {
    const problem: OccProblem<StatusProblemKind> = {
      kind: "unreadable-output",
      message: "occ status did not print the JSON photoferry expects",
      hint: "Check that nextcloud.occ.command runs Nextcloud's occ (e.g. [php, /var/www/html/occ])",
      count: 1,
      lines: cleanText(result.stdout).split("\n").filter(Boolean).slice(0, 3),
    };
    return { ok: false, problems: [problem] };
  }
  const problems = statusProblems(status);
  const major = Number.parseInt(status.version.split(".")[0] ?? "", 10);
  const check: StatusCheck = { ok: problems.length === 0, status, problems };
  if (Number.isFinite(major)) check.majorVersion = major;
  return check;
}

function statusProblems(status: NextcloudStatus): OccProblem<StatusProblemKind>[] {
  const problems: OccProblem<StatusProblemKind>[] = [];
  const add = (kind: StatusProblemKind, message: string, hint: string) =>
    problems.push({ kind, message, hint, count: 1, lines: [] });
  if (!status.installed) {
    add(
      "not-installed",
      "Nextcloud is not installed yet",
      "Finish Nextcloud's installation first, and check that photoferry talks to the right container",
    );
  }
  if (status.maintenance) {
    add(
      "maintenance-mode",
      "Nextcloud is in maintenance mode",
      'Wait for the maintenance (often an upgrade) to finish, or turn it off with "occ maintenance:mode --off"; photoferry retries later',
    );
  }
  if (status.needsDbUpgrade) {
    add(
      "needs-upgrade",
      "Nextcloud or one of its apps needs an upgrade",
      'Finish the upgrade: run "occ upgrade" in the Nextcloud container or open Nextcloud in a browser',
    );
  }
  return problems;
}

function findStatusJson(text: string): NextcloudStatus | undefined {
  const end = text.lastIndexOf("}");
  // Try each `{` that starts a line, last first: noise comes before the JSON, not after.
  const starts = [...text.matchAll(/^[ \t]*\{/gm)].map((m) => m.index).reverse();
  for (const start of starts) {
    if (end < start) continue;
    const value = tryJson(text.slice(start, end + 1));
    const status = value === undefined ? undefined : asStatus(value);
    if (status) return status;
  }
  return undefined;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function asStatus(value: unknown): NextcloudStatus | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.installed !== "boolean") return undefined;
  return {
    installed: v.installed,
    version: typeof v.version === "string" ? v.version : "",
    versionstring: typeof v.versionstring === "string" ? v.versionstring : "",
    // Not installed: occ omits these; treat as "not in that state".
    maintenance: v.maintenance === true,
    needsDbUpgrade: v.needsDbUpgrade === true,
  };
}
