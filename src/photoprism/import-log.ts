import { parseLogrusLine, type LogLevel } from "./logrus-line.js";
import { unquoteName } from "./printed-names.js";

/**
 * What PhotoPrism's import log says happened (shared/reference/photoprism.md §1.2). Lossy:
 * PhotoPrism quotes names with spaces, replaces `\ $ < > { }` with `?` and shortens long
 * names, so a name here is a hint to match, not a path to use. Only the batch folder and
 * PhotoPrism's index can prove where a file went.
 */
export interface ImportLog {
  /** `moving main jpg file IMG_1.JPG to 2024/05/20240501_101010_ABCD1234.jpg` */
  placements: ImportPlacement[];
  /** Content PhotoPrism already had; `source` is a base name or null, `existing` in originals. */
  duplicates: { source: string | null; existing: string; sha1: string | null }[];
  /** Sources PhotoPrism deleted from the batch folder because it already had them. */
  deletedDuplicates: string[];
  problems: ImportProblem[];
  /** Warnings that are not problems of their own (size limits, MIME mismatches, …). */
  warnings: string[];
  /** "completed in …": the CLI import ran to its end (which says nothing about success). */
  completed: boolean;
}

export interface ImportPlacement {
  role: "main" | "related";
  fileType: string;
  /** Relative to the imported folder (the batch folder), as PhotoPrism printed it. */
  source: string;
  /** Relative to originals. */
  destination: string;
}

export type ImportProblemKind =
  | "unsupported" // no main media file, unknown type, RAW disabled: the file stays
  | "concurrent-import" // another import moved the files away first
  | "move-failed"
  | "folder-not-created" // originals not writable by PhotoPrism's user
  | "index-failed"
  | "busy" // "already running": nothing was done
  | "read-only"
  | "import-path-is-originals"
  | "folder-not-found" // PhotoPrism does not see the batch folder
  | "database"
  | "error"; // any other error, fatal or panic line

export interface ImportProblem {
  kind: ImportProblemKind;
  level: LogLevel;
  /** The file it is about, as printed (lossy), when the line names one. */
  file: string | null;
  /** PhotoPrism's message. */
  message: string;
  hint: string;
  /** Worth running the import again later. */
  transient: boolean;
}

const name = "('(?:[^']|'')*'|\\S+)";
const placement = new RegExp(`^moving (main|related) (\\S+) file (.+) to ${name}$`);
const identical = /^(.+) is identical to (.+) \(sha1 ([0-9a-f]{40})\)$/;
const deleted = /^deleted (.+) \(already exists\)$/;
const exists = /^(.+) already exists$/;
const indexResult =
  /^(?:added|updated|stacked|skipped|skipped duplicate|skipped archived|failed) (?:main|related) \S+ file (.+)$/;

type Rule = [RegExp, ImportProblemKind, string, boolean];

const ownerHint =
  "PhotoPrism's user cannot write to originals: check the owner of the originals folder, " +
  "PHOTOPRISM_UID and photoprism.exec.user";

/** First match wins; `$1` of the pattern is the file, when there is one. */
const rules: readonly Rule[] = [
  [
    /^(.+) is unsupported(?: \(.*\))?$/,
    "unsupported",
    "PhotoPrism cannot import this file type",
    false,
  ],
  [
    /^(.+) does not belong to a supported media file$/,
    "unsupported",
    "a sidecar or unknown file without its photo: PhotoPrism only imports it together with a photo of the same name",
    false,
  ],
  [
    /^skipped (.+) due to unknown or unsupported extension$/,
    "unsupported",
    "PhotoPrism cannot import this file type",
    false,
  ],
  [
    /^skipped (.+) because the file type is not allowed$/,
    "unsupported",
    "this file type is disabled in PhotoPrism's settings",
    false,
  ],
  [
    /^skipped raw (.+)$/,
    "unsupported",
    "RAW files are disabled in PhotoPrism (PHOTOPRISM_DISABLE_RAW)",
    false,
  ],
  [
    /^failed moving file to (.+), is another import running at the same time\?$/,
    "concurrent-import",
    "another import ran at the same time (PhotoPrism's web UI, a schedule or WebDAV auto-import); photoferry will try again, but avoid running imports in PhotoPrism while photoferry does",
    true,
  ],
  [
    /^could not (?:move|copy) file to (.+)$/,
    "move-failed",
    `${ownerHint}; also check free space`,
    false,
  ],
  [/^failed to create folder for (.+) \(.*\)$/, "folder-not-created", ownerHint, false],
  [
    /^(?:import|index): already running$|^already running$/,
    "busy",
    "PhotoPrism was already importing or indexing and did nothing; photoferry will try again",
    true,
  ],
  [
    /not available in read-only mode/,
    "read-only",
    "PhotoPrism runs in read-only mode (PHOTOPRISM_READONLY): turn it off to import",
    false,
  ],
  [
    /import path is identical with originals/,
    "import-path-is-originals",
    "PhotoPrism's import folder is its originals folder: give it a separate import folder",
    false,
  ],
  [
    /^directory (.+) not found$/,
    "folder-not-found",
    "PhotoPrism does not see the batch folder: set photoprism.containerImportDir to the import folder as the PhotoPrism container sees it",
    false,
  ],
  [
    /database not connected/,
    "database",
    "PhotoPrism cannot reach its database: check its database container",
    true,
  ],
  [
    /^failed (?:main|related) \S+ file (.+)$/,
    "index-failed",
    "PhotoPrism moved the file but could not index it; see its log",
    false,
  ],
];

export function parseImportLog(output: string): ImportLog {
  const log: ImportLog = {
    placements: [],
    duplicates: [],
    deletedDuplicates: [],
    problems: [],
    warnings: [],
    completed: false,
  };
  for (const raw of output.split("\n")) {
    const line = parseLogrusLine(raw);
    if (!line) continue;
    const body = line.message.replace(/^import: /, "");
    if (/^completed in \S+$/.test(line.message)) log.completed = true;
    if (readFact(body, log)) continue;
    const rule = rules.find(([pattern]) => pattern.test(body));
    if (rule) {
      const [pattern, kind, hint, transient] = rule;
      const file = pattern.exec(body)?.[1];
      log.problems.push({
        kind,
        level: line.level,
        file: file === undefined ? null : unquoteName(file),
        message: line.message,
        hint,
        transient,
      });
    } else if (line.level === "error" || line.level === "fatal" || line.level === "panic") {
      const hint = "see PhotoPrism's message; its log has the details";
      log.problems.push({
        kind: "error",
        level: line.level,
        file: null,
        message: line.message,
        hint,
        transient: false,
      });
    } else if (line.level === "warning") {
      log.warnings.push(line.message);
    }
  }
  return log;
}

/** Records a placement or duplicate line; true when the line was one. */
function readFact(body: string, log: ImportLog): boolean {
  const placed = placement.exec(body);
  if (placed) {
    log.placements.push({
      role: placed[1] === "main" ? "main" : "related",
      fileType: placed[2] ?? "",
      source: unquoteName(placed[3] ?? ""),
      destination: unquoteName(placed[4] ?? ""),
    });
    return true;
  }
  const same = identical.exec(body);
  if (same) {
    const [, source = "", existing = "", sha1 = ""] = same;
    log.duplicates.push({ source: unquoteName(source), existing: unquoteName(existing), sha1 });
    return true;
  }
  const gone = deleted.exec(body);
  if (gone) {
    log.deletedDuplicates.push(unquoteName(gone[1] ?? ""));
    return true;
  }
  const there = exists.exec(body);
  if (there) {
    log.duplicates.push({ source: null, existing: unquoteName(there[1] ?? ""), sha1: null });
    return true;
  }
  // Indexing results of files that were placed: "failed" ones are problems (see rules).
  return indexResult.test(body) && !body.startsWith("failed ");
}
