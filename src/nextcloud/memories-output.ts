import type { CommandResult } from "../runners/runner.js";
import type { MemoriesFlavour } from "./occ-commands.js";
import { detectOccFailure, type OccFailure, type OccFailureKind } from "./occ-failure.js";
import { addProblem, cleanText, outputLines, type OccProblem } from "./occ-output.js";

export type MemoriesProblemKind =
  | "failed-file"
  | "failed-folder"
  | "user-not-found"
  | "group-not-found"
  | "path-missing"
  | "skipped-failed-files"
  | "skipped-locked-file"
  | "exiftool"
  | OccFailureKind;

/** Kinds that are worth reporting but do not make the run a failure. */
const warningKinds: ReadonlySet<MemoriesProblemKind> = new Set([
  "skipped-failed-files",
  "skipped-locked-file",
]);

export interface MemoriesIndexProgress {
  users: number;
  folders: number;
  files: number;
  /** Folders skipped on purpose (excluded path, .nomedia / .nomemories). */
  skippedFolders: number;
}

export interface MemoriesIndexResult {
  /** Exit 0 and no failure lines; warnings (locked or previously failed files) allowed. */
  ok: boolean;
  progress: MemoriesIndexProgress;
  /** Files Memories could not index, with its reason. */
  failedFiles: { path: string; reason: string }[];
  /** From "Indexing skipped for N failed files": files left out because they failed before. */
  skippedFailedFiles: number;
  problems: OccProblem<MemoriesProblemKind>[];
  failure?: OccFailure;
}

interface LineRule {
  kind: MemoriesProblemKind;
  test: RegExp;
  message: string;
  hint: string;
}

// Messages from pulsejet/memories lib/Command/Index.php and lib/Service/Index.php.
const lineRules: LineRule[] = [
  {
    kind: "failed-file",
    test: /^Failed to index file (.+?): (.*)$/,
    message: "Memories could not index some files",
    hint: 'Check the files are readable photos; "occ memories:index --retry" tries them again',
  },
  {
    kind: "failed-folder",
    test: /^Failed to index folder /,
    message: "Memories could not index a folder",
    hint: "Check the folder is readable by the web server's user, and read nextcloud.log",
  },
  {
    kind: "user-not-found",
    test: /^User .* not found$/,
    message: "Memories does not know the user",
    hint: "Check the user exists in Nextcloud (occ user:list) and has logged in at least once",
  },
  {
    kind: "group-not-found",
    test: /^Group .* not found$/,
    message: "Memories does not know the group",
    hint: "Check the group exists in Nextcloud (occ group:list)",
  },
  {
    kind: "path-missing",
    test: /^The specified folder .* does not exist for /,
    message: "the folder to index does not exist in Nextcloud's file index",
    hint: "Run occ files:scan for it first; photoferry scans before indexing, so a failed scan comes first",
  },
  {
    kind: "skipped-failed-files",
    test: /^Indexing skipped for \d+ failed files/,
    message: "Memories skipped files that failed before",
    hint: 'Run "occ memories:index --retry" once they are fixed',
  },
  {
    kind: "skipped-locked-file",
    test: /^Skipping file .* due to lock$/,
    message: "Memories skipped files that were locked",
    hint: "Nothing to do: Memories' background job picks them up later",
  },
];

const progressRules: [keyof MemoriesIndexProgress, RegExp][] = [
  ["users", /^Indexing user /],
  ["folders", /^Indexing folder /],
  ["files", /^Indexing file /],
  ["skippedFolders", /^Skipping folder .* \((?:path excluded|\.nomedia \/ \.nomemories)\)$/],
];

/**
 * Without a terminal, Memories writes its progress to a console section that adds no line
 * ends, so messages run together: `Indexing file /a.jpgFailed to index file /a.jpg: …`.
 * Each known message start is put back on a line of its own.
 */
const runTogether =
  /(?<=.)(?=Indexing (?:user|folder|file|skipped for) |Failed to index (?:file|folder) |Skipping (?:folder|file) |Cleaning up stale index entries|The specified folder )/g;

export const memoriesMessages = (result: Pick<CommandResult, "stdout" | "stderr">): string[] =>
  outputLines(result).flatMap((line) => line.replace(runTogether, "\n").split("\n"));

/** Reads `occ memories:index` output; it exits 0 on most failures, so the text decides. */
export function parseMemoriesIndex(result: CommandResult): MemoriesIndexResult {
  const failure = detectOccFailure(result);
  const progress: MemoriesIndexProgress = { users: 0, folders: 0, files: 0, skippedFolders: 0 };
  const failedFiles: { path: string; reason: string }[] = [];
  const problems: OccProblem<MemoriesProblemKind>[] = [];
  let skippedFailedFiles = 0;
  for (const line of memoriesMessages(result)) {
    const counter = progressRules.find(([, test]) => test.test(line));
    if (counter) progress[counter[0]]++;
    const rule = lineRules.find((r) => r.test.test(line));
    if (!rule) continue;
    addProblem(problems, rule.kind, line, () => ({ message: rule.message, hint: rule.hint }));
    const file = rule.kind === "failed-file" ? rule.test.exec(line) : null;
    if (file?.[1] !== undefined) failedFiles.push({ path: file[1], reason: file[2] ?? "" });
    const skipped = /^Indexing skipped for (\d+) /.exec(line);
    if (skipped?.[1] !== undefined) skippedFailedFiles += Number.parseInt(skipped[1], 10);
  }
  if (failure) {
    // Memories prints its own fatal errors (exiftool missing, …) as the last line, exit 1.
    const exiftool = failure.kind === "command-failed" && /exiftool/i.test(failure.message);
    problems.unshift(
      exiftool
        ? {
            ...failure,
            kind: "exiftool",
            hint: "Memories cannot run exiftool: open Memories' admin settings in Nextcloud and fix what its exiftool check reports",
          }
        : failure,
    );
  }
  const ok = result.exitCode === 0 && !failure && problems.every((p) => warningKinds.has(p.kind));
  const parsed: MemoriesIndexResult = { ok, progress, failedFiles, skippedFailedFiles, problems };
  if (failure) parsed.failure = failure;
  return parsed;
}

export interface MemoriesHelpResult {
  ok: boolean;
  /** false when occ says Memories' commands do not exist; undefined when it could not tell. */
  installed?: boolean;
  flavour?: MemoriesFlavour;
  problems: OccProblem<"unknown-flavour" | OccFailureKind>[];
  failure?: OccFailure;
}

/** Reads `occ memories:index --help`: which option scopes the index (`--path` from 7.6.1). */
export function parseMemoriesHelp(result: CommandResult): MemoriesHelpResult {
  const failure = detectOccFailure(result);
  if (failure) {
    const missing =
      (failure.kind === "namespace-not-defined" || failure.kind === "command-not-defined") &&
      failure.lines.some((l) => l.includes('"memories'));
    const parsed: MemoriesHelpResult = { ok: false, problems: [failure], failure };
    if (missing) parsed.installed = false;
    return parsed;
  }
  const help = cleanText(result.stdout);
  // Option lines look like "      --path=PATH       Index only …" or "  -f, --force …".
  const flavour: MemoriesFlavour | undefined = /^\s+(?:-\w, )?--path[=[\s]/m.test(help)
    ? "path"
    : /^\s+(?:-\w, )?--folder[=[\s]/m.test(help)
      ? "folder"
      : undefined;
  if (!flavour) {
    return {
      ok: false,
      installed: true,
      problems: [
        {
          kind: "unknown-flavour",
          message: "memories:index --help lists neither --path nor --folder",
          hint: "Update Memories to 7.6.1 or later, or report the Memories version you run",
          count: 1,
          lines: help.split("\n").filter(Boolean).slice(0, 3),
        },
      ],
    };
  }
  return { ok: true, installed: true, flavour, problems: [] };
}
