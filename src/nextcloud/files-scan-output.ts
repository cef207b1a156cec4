import type { CommandResult } from "../runners/runner.js";
import { detectOccFailure, type OccFailure, type OccFailureKind } from "./occ-failure.js";
import { addProblem, cleanText, outputLines, type OccProblem } from "./occ-output.js";
import { readScanSummary, type ScanSummary } from "./files-scan-summary.js";

export type { ScanSummary } from "./files-scan-summary.js";

export type FilesScanProblemKind =
  | "unknown-user"
  | "path-not-found"
  | "home-not-writable"
  | "incompatible-encoding"
  | "error-during-scan"
  | "exception-during-scan"
  | "storage-not-available"
  | "already-scanning"
  | "interrupted"
  | "no-target"
  | "errors-counted"
  | "no-summary"
  | OccFailureKind;

export interface FilesScanResult {
  /** Exit 0, a summary with Errors == 0 (when the version counts errors), no error lines. */
  ok: boolean;
  summary?: ScanSummary;
  /** Users named by the "Starting scan for user N out of M (<uid>)" lines. */
  usersScanned: string[];
  problems: OccProblem<FilesScanProblemKind>[];
  failure?: OccFailure;
}

interface LineRule {
  kind: FilesScanProblemKind;
  test: RegExp;
  message: string;
  hint: string;
}

// Messages from nextcloud/server apps/files/lib/Command/Scan.php and Files/Utils/Scanner.php.
const lineRules: LineRule[] = [
  {
    kind: "unknown-user",
    test: /^Unknown user \d+ /,
    message: "occ does not know the user named in the scan path",
    hint: "A scan path must start with /<user id>/files/; check nextcloud.libraryPaths and that the user exists",
  },
  {
    kind: "home-not-writable",
    test: /^Home storage for user .* not writable or 'files' subdirectory missing|^User folder .* is not writable|^Make sure you're running the scan command only as the user the web server runs as/,
    message: "Nextcloud cannot write to the user's folder, or its files/ folder is missing",
    hint: "Give the user's folder in the data directory to the web server's user (e.g. chown -R 33:33 for the official image) and run occ as that user",
  },
  {
    kind: "path-not-found",
    test: /^Path not found: /,
    message: "the folder to scan does not exist in Nextcloud",
    hint: "Check the folder exists under the user's files and that the path is written /<user>/files/<folder>",
  },
  {
    kind: "incompatible-encoding",
    test: /^Entry ".*" will not be accessible due to incompatible encoding/,
    message: "a file name is not in the Unicode form Nextcloud needs (NFC), so it was skipped",
    hint: "Rename the file (names copied from macOS are often affected); Nextcloud shows it only after that",
  },
  {
    kind: "error-during-scan",
    test: /^Error during scan: /,
    message: "a PHP error interrupted part of the scan",
    hint: 'Run "occ files:scan -vv --path=…" by hand to see it, and read nextcloud.log',
  },
  {
    kind: "exception-during-scan",
    test: /^Exception during scan: /,
    message: "the scan failed with an exception",
    hint: "Read the message and nextcloud.log; 'Invalid path to scan' means the path contains '..' or a bad character",
  },
  {
    kind: "storage-not-available",
    test: /^Error while scanning, storage not available/,
    message: "a storage (external storage or network mount) could not be reached",
    hint: "Check that the storage is mounted and online, then run again",
  },
  {
    kind: "already-scanning",
    test: /^Another process is already scanning /,
    message: "another scan of the same folder was running, so this one did nothing",
    hint: "Nothing to fix unless it repeats; photoferry scans again on the next pass",
  },
  {
    kind: "interrupted",
    test: /^Interrupted by user$/,
    message: "the scan was interrupted",
    hint: "It runs again on the next pass",
  },
  {
    kind: "no-target",
    test: /^Please specify the user id to scan/,
    message: "occ files:scan was run without a path",
    hint: "This is a photoferry bug: report it with the logged command",
  },
];

const startingScan = /^Starting scan for user \d+ out of \d+ \((.*)\)$/;

/** Reads `occ files:scan` output; its exit code is 0 even when it failed, so the text decides. */
export function parseFilesScan(result: CommandResult): FilesScanResult {
  const failure = detectOccFailure(result);
  const usersScanned: string[] = [];
  const problems: OccProblem<FilesScanProblemKind>[] = [];
  for (const line of outputLines(result)) {
    const user = startingScan.exec(line);
    if (user?.[1] !== undefined) usersScanned.push(user[1]);
    const rule = lineRules.find((r) => r.test.test(line));
    if (rule)
      addProblem(problems, rule.kind, line, () => ({ message: rule.message, hint: rule.hint }));
  }
  if (failure) {
    return { ok: false, usersScanned, problems: [failure, ...problems], failure };
  }
  const summary = readScanSummary(cleanText(result.stdout));
  if (!summary) {
    problems.push({
      kind: "no-summary",
      message: "occ files:scan printed no summary table, so the scan cannot be confirmed",
      hint: "Check that nextcloud.occ.command runs Nextcloud's occ and that no -q/--quiet is added",
      count: 1,
      lines: [],
    });
  } else if (summary.errors !== null && summary.errors > 0 && problems.length === 0) {
    problems.push({
      kind: "errors-counted",
      message: `occ files:scan counted ${summary.errors} error(s) without naming them`,
      hint: 'Run "occ files:scan -v --path=…" by hand and read nextcloud.log',
      count: summary.errors,
      lines: [],
    });
  }
  const errorsCounted = summary?.errors ?? 0;
  const ok =
    result.exitCode === 0 && summary !== undefined && errorsCounted === 0 && problems.length === 0;
  const parsed: FilesScanResult = { ok, usersScanned, problems };
  if (summary) parsed.summary = summary;
  return parsed;
}
