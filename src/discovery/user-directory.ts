import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import { dataDirError, errnoCode } from "./discovery-error.js";
import { dataDirMarkers, isNextcloudSystemEntry } from "./system-entries.js";

/** What discovery needs to know about a file system entry; node's Dirent and Stats fit. */
export interface EntryKind {
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

export interface DirEntry extends EntryKind {
  name: string;
}

/** The only file system access discovery has. Neither call may follow a final symlink. */
export interface UserDirectoryFs {
  readdir(path: string): Promise<DirEntry[]>;
  lstat(path: string): Promise<EntryKind>;
}

export const nodeUserDirectoryFs: UserDirectoryFs = {
  readdir: (path) => readdir(path, { withFileTypes: true }),
  lstat: (path) => lstat(path),
};

export interface DiscoveredUser {
  /** Exactly the folder name as Node decodes it: never normalised, never trimmed. */
  id: string;
  filesDir: string;
}

export interface SkippedEntry {
  name: string;
  /** Plain words for the UI. */
  reason: string;
}

export interface UserListing {
  /** Sorted by id, by UTF-16 code units (the same on every machine, whatever the locale). */
  users: DiscoveredUser[];
  /** Entries that are neither users nor Nextcloud's own, sorted by name. */
  skipped: SkippedEntry[];
  /** False when neither `.ocdata` nor `.ncdata` is present: probably not a data directory. */
  hasDataDirMarker: boolean;
}

const symlinkNote = "photoferry never follows symbolic links";
const permissionNote =
  "permission denied; Nextcloud's files are owned by uid 33, so run photoferry as that user " +
  "or give it read access";

/**
 * Lists the Nextcloud users in `dataDir`: real folders (not symlinks), not Nextcloud's own
 * entries, that hold a real `files/` folder. Throws `DiscoveryError` if `dataDir` itself
 * cannot be listed; any other problem skips just that entry, with its reason.
 */
export async function listNextcloudUsers(
  dataDir: string,
  fs: UserDirectoryFs = nodeUserDirectoryFs,
): Promise<UserListing> {
  let entries: DirEntry[];
  try {
    entries = await fs.readdir(dataDir);
  } catch (error) {
    throw dataDirError(dataDir, error);
  }
  const outcomes = await Promise.all(entries.map((entry) => inspect(dataDir, entry, fs)));
  const users: DiscoveredUser[] = [];
  const skipped: SkippedEntry[] = [];
  for (const outcome of outcomes) {
    if (outcome === undefined) continue;
    if ("filesDir" in outcome) users.push(outcome);
    else skipped.push(outcome);
  }
  return {
    users: users.sort((a, b) => byCodeUnits(a.id, b.id)),
    skipped: skipped.sort((a, b) => byCodeUnits(a.name, b.name)),
    hasDataDirMarker: entries.some((entry) => dataDirMarkers.includes(entry.name)),
  };
}

async function inspect(
  dataDir: string,
  entry: DirEntry,
  fs: UserDirectoryFs,
): Promise<DiscoveredUser | SkippedEntry | undefined> {
  const { name } = entry;
  if (isNextcloudSystemEntry(name)) return undefined;
  const skip = (reason: string): SkippedEntry => ({ name, reason });
  // Node decodes names as UTF-8 and puts U+FFFD where the bytes are not; such a name no longer
  // leads back to the folder, and Nextcloud never creates one.
  if (name.includes("\uFFFD")) return skip("the folder name is not valid UTF-8");
  if (entry.isSymbolicLink()) return skip(`it is a symbolic link; ${symlinkNote}`);
  if (!entry.isDirectory()) return skip("it is not a folder");

  const filesDir = join(dataDir, name, "files");
  let files: EntryKind;
  try {
    files = await fs.lstat(filesDir);
  } catch (error) {
    return skip(filesProblem(error));
  }
  if (files.isSymbolicLink()) return skip(`its files/ is a symbolic link; ${symlinkNote}`);
  if (!files.isDirectory()) return skip("its files/ is not a folder");
  return { id: name, filesDir };
}

function filesProblem(error: unknown): string {
  const code = errnoCode(error);
  switch (code) {
    case "ENOENT":
      return "it has no files/ folder";
    case "ENOTDIR":
      return "it is not a folder";
    case "EACCES":
    case "EPERM":
      return `it cannot be read: ${permissionNote} (${code})`;
    default: {
      const message = error instanceof Error ? error.message : String(error);
      return `it cannot be read: ${message} (${code})`;
    }
  }
}

function byCodeUnits(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
