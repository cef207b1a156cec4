import { fail, ok, skip, warn, type CheckArea, type CheckResult } from "./check-result.js";
import type { FolderFacts } from "./folder-probe.js";

/** Which folder a result is about, and why photoferry needs it. */
export interface FolderRole {
  area: CheckArea;
  name: string;
  /** The config key that names it, e.g. "photoprism.importDir". */
  configKey: string;
  /** Who normally owns it and how to get access, in plain words (ends a fix). */
  accessHint: string;
}

/** The user photoferry's process runs as, for fixes that say whom to give access. */
export interface RunningAs {
  uid: number;
  gid: number;
  /** Supplementary groups (`process.getgroups()`); a file's group may be any of them. */
  groups?: number[];
}

/**
 * Whether photoferry may hand the files it places in the import folder to
 * `photoprism.files.uid/gid`: chown to another uid needs root (or CAP_CHOWN), and a non-root
 * process may only pick one of its own groups. Otherwise every transfer fails with EPERM.
 */
export function judgeImportOwnership(
  files: { uid: number; gid: number },
  who: RunningAs,
): CheckResult {
  const name = "import file owner";
  const target = `${files.uid}:${files.gid}`;
  if (who.uid === 0) return ok("photoprism", name, `runs as root: files go to ${target}`);
  const guide = "see docs/deployment.md (file ownership): PhotoPrism's user must be in that group";
  if (files.uid !== who.uid) {
    return fail(
      "photoprism",
      name,
      `photoferry runs as uid ${who.uid} and cannot give files to uid ${files.uid} (photoprism.files.uid)`,
      `set photoprism.files.uid to ${who.uid} and photoprism.files.gid to a group PhotoPrism's user is in (e.g. PHOTOPRISM_GID=${who.gid}); ${guide}`,
    );
  }
  const groups = new Set([who.gid, ...(who.groups ?? [])]);
  if (!groups.has(files.gid)) {
    return fail(
      "photoprism",
      name,
      `photoferry is not in group ${files.gid} (photoprism.files.gid), so it cannot give files to it`,
      `set photoprism.files.gid to ${who.gid} (and PhotoPrism's PHOTOPRISM_GID to match), or run photoferry with group ${files.gid}; ${guide}`,
    );
  }
  return ok("photoprism", name, `files go to ${target}, which photoferry may give them to`);
}

export const LOW_SPACE_BYTES = 1024 ** 3;

const permissionCodes = new Set(["EACCES", "EPERM"]);

/** Exists, is a folder, can be listed — and, when asked, a file can be created in it. */
export function judgeFolder(role: FolderRole, facts: FolderFacts, who: RunningAs): CheckResult {
  const { area, name, configKey } = role;
  const path = facts.path;
  const access = `photoferry runs as uid ${who.uid}: ${role.accessHint}`;
  if (facts.statError !== null) {
    const code = facts.statError;
    if (code === "ENOENT") {
      return fail(
        area,
        name,
        `${path} does not exist`,
        `create it or mount the volume there (in Docker, check the volume's target path), or correct ${configKey}`,
      );
    }
    if (code === "ENOTDIR") {
      return fail(area, name, `a part of ${path} is a file, not a folder`, `correct ${configKey}`);
    }
    if (permissionCodes.has(code)) {
      return fail(area, name, `${path} cannot be reached: a folder above it refuses entry`, access);
    }
    return fail(area, name, `${path} cannot be examined (${code})`, `check ${configKey}`);
  }
  if (facts.notFolder) {
    return fail(area, name, `${path} is a file, not a folder`, `correct ${configKey}`);
  }
  if (facts.readError !== null) {
    return fail(area, name, `${path} cannot be read (${facts.readError})`, access);
  }
  if (facts.writeError === undefined || facts.writeError === null) {
    const what = facts.writeError === null ? "readable and writable" : "readable";
    return ok(area, name, `${path} is ${what}`);
  }
  return writeFailure(role, path, facts.writeError, access);
}

function writeFailure(role: FolderRole, path: string, code: string, access: string): CheckResult {
  const { area, name } = role;
  if (code === "EROFS") {
    return fail(
      area,
      name,
      `${path} is mounted read-only`,
      "mount it read-write (in Docker, remove `:ro` from the volume)",
    );
  }
  if (code === "ENOSPC" || code === "EDQUOT") {
    return fail(area, name, `${path} is full (${code})`, "free some space on that disk");
  }
  if (permissionCodes.has(code)) {
    return fail(area, name, `photoferry cannot create files in ${path} (${code})`, access);
  }
  return fail(area, name, `creating a file in ${path} failed (${code})`, access);
}

export function judgeFreeSpace(role: FolderRole, facts: FolderFacts): CheckResult {
  const name = `${role.name} free space`;
  if (facts.freeBytes === undefined) return skip(role.area, name, "not checked");
  if (facts.freeBytes === null) return skip(role.area, name, "could not be measured");
  const free = formatBytes(facts.freeBytes);
  if (facts.freeBytes < LOW_SPACE_BYTES) {
    return warn(
      role.area,
      name,
      `only ${free} free in ${facts.path}`,
      "free some space: photos wait there until PhotoPrism has imported them",
    );
  }
  return ok(role.area, name, `${free} free`);
}

/**
 * Informational: on one file system a `delete` transfer is a rename; otherwise, and always
 * for `archive`/`keep`, each photo is copied (reflinked where the file system can).
 */
export function judgeSameFileSystem(
  importDir: FolderFacts,
  dataDir: FolderFacts,
  afterMove: "archive" | "delete" | "keep",
): CheckResult {
  const name = "import dir file system";
  if (importDir.device === null || dataDir.device === null) {
    return skip("photoprism", name, "not known: one of the folders could not be examined");
  }
  if (importDir.device !== dataDir.device) {
    return ok(
      "photoprism",
      name,
      "different from the data dir's: every photo is copied, then handled per afterMove",
    );
  }
  return ok(
    "photoprism",
    name,
    afterMove === "delete"
      ? "the same as the data dir's: photos are moved by an instant rename"
      : `the same as the data dir's; with afterMove: ${afterMove} photos are still copied (reflinked where the file system can)`,
  );
}

/**
 * The state folder may not exist yet (photoferry creates it); then its nearest existing
 * parent must let photoferry create it.
 */
export function judgeStateDir(
  role: FolderRole,
  facts: FolderFacts,
  parent: FolderFacts | undefined,
  who: RunningAs,
): CheckResult {
  if (facts.statError !== "ENOENT" || parent === undefined) return judgeFolder(role, facts, who);
  const parentResult = judgeFolder(role, parent, who);
  if (parentResult.status !== "ok") {
    return { ...parentResult, detail: `${facts.path} does not exist, and ${parentResult.detail}` };
  }
  return ok(role.area, role.name, `${facts.path} does not exist yet; photoferry will create it`);
}

export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
