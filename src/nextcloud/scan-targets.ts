import { posix } from "node:path";
import {
  OccPathError,
  checkUserId,
  commonFolder,
  isSameOrBelow,
  normalizeRelativePath,
  parseVirtualPath,
  toVirtualPath,
} from "./occ-paths.js";

/** A user whose files were moved out (imported, or duplicates handled like them). */
export interface AffectedUser {
  userId: string;
  /** Folders below the user's `files/` that files left, e.g. "InstantUpload/Camera". */
  movedFromFolders: readonly string[];
}

export interface ScanPlanInput {
  /** Virtual paths (`/<uid>/files/<folder>`) that show PhotoPrism's originals. */
  libraryPaths: readonly string[];
  /**
   * Where imported files landed, relative to PhotoPrism's originals
   * (`2024/06/20240601_120000_ABCD1234.jpg`); undefined when unknown (whole library paths
   * are scanned then), empty when nothing was imported.
   */
  importedFiles: readonly string[] | undefined;
  users: readonly AffectedUser[];
  /** nextcloud.sourceFolders: scans of a user's folders never go above these. */
  sourceFolders: readonly string[];
  afterMove: "archive" | "delete" | "keep";
  /** Relative: inside the user's files (scanned); absolute: outside Nextcloud (not scanned). */
  archiveDir: string;
  /** Plan `memories:index` steps (nextcloud.memories.enabled). */
  memories: boolean;
}

export type ScanReason = "library" | "source" | "archive";

export type ScanStep =
  | { command: "files:scan"; reason: ScanReason; userId: string; virtualPath: string }
  | {
      command: "memories:index";
      reason: "library" | "archive";
      userId: string;
      /** Relative to the user's files; "" for all of them. */
      path: string;
    };

export interface ScanPlan {
  /** Library scans, then each user's source and archive scans, then Memories (PRODUCT §1.7). */
  steps: ScanStep[];
  /** What was left out and why, for the log. */
  notes: string[];
}

interface Target {
  reason: ScanReason;
  userId: string;
  folder: string;
}

/** The Nextcloud catch-up after an import, as an ordered list of occ steps. Pure. */
export function planScans(input: ScanPlanInput): ScanPlan {
  const notes: string[] = [];
  const library = libraryTargets(input, notes);
  const userTargets = input.users.flatMap((user) => targetsForUser(user, input, notes));
  const scans = withoutCovered([...library, ...userTargets]);
  const steps: ScanStep[] = scans.map((t) => ({
    command: "files:scan",
    reason: t.reason,
    userId: t.userId,
    virtualPath: toVirtualPath(t.userId, t.folder),
  }));
  if (input.memories) {
    // Only folders that gained files; Memories drops index rows of removed files on any run.
    const gained = [...library, ...userTargets].filter(
      (t): t is Target & { reason: "library" | "archive" } => t.reason !== "source",
    );
    for (const t of withoutCovered(gained)) {
      steps.push({ command: "memories:index", reason: t.reason, userId: t.userId, path: t.folder });
    }
  }
  return { steps, notes };
}

function libraryTargets(input: ScanPlanInput, notes: string[]): Target[] {
  const touched = touchedFolders(input.importedFiles, notes);
  if (touched?.length === 0) return [];
  const targets: Target[] = [];
  for (const libraryPath of input.libraryPaths) {
    let parsed;
    try {
      parsed = parseVirtualPath(libraryPath);
    } catch (error) {
      notes.push(`library path skipped: ${messageOf(error)}`);
      continue;
    }
    const folders = touched ?? [""];
    for (const folder of folders) {
      targets.push({
        reason: "library",
        userId: parsed.userId,
        folder: joinRelative(parsed.relativePath, folder),
      });
    }
  }
  return targets;
}

/** The originals folders that gained files; undefined when unknown (scan whole library paths). */
function touchedFolders(
  importedFiles: readonly string[] | undefined,
  notes: string[],
): string[] | undefined {
  if (importedFiles === undefined) return undefined;
  const folders = new Set<string>();
  for (const file of importedFiles) {
    try {
      folders.add(posix.dirname(normalizeRelativePath(file)).replace(/^\.$/, ""));
    } catch (error) {
      notes.push(`imported file path unusable, scanning whole library paths: ${messageOf(error)}`);
      return undefined;
    }
  }
  return minimalCover([...folders]);
}

function targetsForUser(user: AffectedUser, input: ScanPlanInput, notes: string[]): Target[] {
  if (input.afterMove === "keep" || user.movedFromFolders.length === 0) return [];
  try {
    checkUserId(user.userId);
  } catch (error) {
    notes.push(`user skipped: ${messageOf(error)}`);
    return [];
  }
  const sourceFolders = normalizedSourceFolders(input.sourceFolders, notes);
  const groups = new Map<string, string[]>();
  for (const raw of user.movedFromFolders) {
    let folder: string;
    try {
      folder = normalizeRelativePath(raw);
    } catch (error) {
      notes.push(`${user.userId}: source folder skipped: ${messageOf(error)}`);
      continue;
    }
    // The deepest configured folder holding it bounds the scan; outside all of them, itself.
    const root = sourceFolders.find((s) => isSameOrBelow(folder, s)) ?? folder;
    groups.set(root, [...(groups.get(root) ?? []), folder]);
  }
  const lost = minimalCover([...groups.values()].map(commonFolder));
  const targets: Target[] = lost.map((folder) => ({
    reason: "source",
    userId: user.userId,
    folder,
  }));
  if (input.afterMove !== "archive") return targets;
  if (posix.isAbsolute(input.archiveDir)) {
    if (lost.length > 0) notes.push(`${user.userId}: archive is outside Nextcloud, not scanned`);
    return targets;
  }
  let archiveDir: string;
  try {
    archiveDir = normalizeRelativePath(input.archiveDir);
  } catch (error) {
    notes.push(`${user.userId}: archive not scanned: ${messageOf(error)}`);
    return targets;
  }
  // Archived files keep their path below files/ under the archive folder.
  for (const folder of lost) {
    targets.push({
      reason: "archive",
      userId: user.userId,
      folder: joinRelative(archiveDir, folder),
    });
  }
  return targets;
}

function normalizedSourceFolders(sourceFolders: readonly string[], notes: string[]): string[] {
  const folders: string[] = [];
  for (const raw of sourceFolders) {
    try {
      folders.push(normalizeRelativePath(raw));
    } catch (error) {
      notes.push(`source folder setting ignored: ${messageOf(error)}`);
    }
  }
  // Deepest first, so nested settings ("Photos", "Photos/Family") bound by the closer one.
  return folders.sort((a, b) => b.split("/").length - a.split("/").length);
}

/** Sorted, without duplicates and without folders inside another one of the list. */
function minimalCover(folders: string[]): string[] {
  const kept: string[] = [];
  for (const folder of [...new Set(folders)].sort()) {
    if (!kept.some((k) => isSameOrBelow(folder, k))) kept.push(folder);
  }
  return kept;
}

/** Drops a target when an earlier one of the same user already covers it (scans recurse). */
function withoutCovered<T extends Target>(targets: T[]): T[] {
  const kept: T[] = [];
  for (const t of targets) {
    if (!kept.some((k) => k.userId === t.userId && isSameOrBelow(t.folder, k.folder))) kept.push(t);
  }
  return kept;
}

function joinRelative(base: string, rest: string): string {
  return [base, rest].filter((p) => p !== "").join("/");
}

function messageOf(error: unknown): string {
  if (error instanceof OccPathError) return error.message;
  throw error;
}
