import type { UserListing } from "../discovery/user-directory.js";
import type { UserSelection } from "../discovery/user-selection.js";
import { fail, ok, skip, warn, type CheckResult } from "./check-result.js";

const area = "nextcloud";

export function judgeDataDirMarker(dataDir: string, listing: UserListing): CheckResult {
  if (listing.hasDataDirMarker) return ok(area, "data dir marker", "`.ocdata` found");
  return warn(
    area,
    "data dir marker",
    `${dataDir} has no .ocdata or .ncdata file, which Nextcloud keeps in its data folder`,
    "check that nextcloud.dataDir is Nextcloud's data folder (the one with a folder per user), not a user's folder or its parent",
  );
}

/** Which users were found, and which of them `nextcloud.users` lets through. */
export function judgeUsers(
  dataDir: string,
  listing: UserListing,
  selection: UserSelection,
): CheckResult {
  const name = "users";
  const unreadable = listing.skipped.filter((entry) => entry.reason.includes("cannot be read"));
  const skippedNote = unreadable.length
    ? `; cannot read ${unreadable.map((entry) => `${entry.name} (${entry.reason})`).join(", ")}`
    : "";
  if (listing.users.length === 0) {
    return warn(
      area,
      name,
      `no user folders (a folder with files/ inside) in ${dataDir}${skippedNote}`,
      "check nextcloud.dataDir: it must be Nextcloud's data folder, as mounted into photoferry",
    );
  }
  const included = selection.filter((user) => user.included).map((user) => user.id);
  const left = selection.filter((user) => !user.included).map((u) => `${u.id} (${u.reason})`);
  const detail =
    `${listing.users.length} found; included: ${included.join(", ") || "none"}` +
    (left.length ? `; not included: ${left.join(", ")}` : "") +
    skippedNote;
  if (included.length === 0) {
    return warn(
      area,
      name,
      detail,
      "nobody's photos will be ferried: adjust nextcloud.users.include / exclude",
    );
  }
  if (unreadable.length > 0) {
    return warn(
      area,
      name,
      detail,
      "give photoferry read access to those folders (Nextcloud's files belong to its web server user)",
    );
  }
  return ok(area, name, detail);
}

export interface SourceFolderState {
  user: string;
  folder: string;
  /** null: present and readable; "ENOENT": not there; another errno code: refused. */
  problem: string | null;
}

/** Missing folders are normal (auto-upload creates them); unreadable ones are not. */
export function judgeSourceFolders(states: readonly SourceFolderState[]): CheckResult {
  const name = "source folders";
  if (states.length === 0) return skip(area, name, "no included user");
  const describe = (list: readonly SourceFolderState[], withCode: boolean) =>
    list.map((s) => `${s.user}/files/${s.folder}${withCode ? ` (${s.problem})` : ""}`).join(", ");
  const refused = states.filter((s) => s.problem !== null && s.problem !== "ENOENT");
  if (refused.length > 0) {
    return fail(
      area,
      name,
      `cannot be read: ${describe(refused, true)}`,
      "give photoferry read access to them (Nextcloud's files belong to its web server user)",
    );
  }
  const missing = states.filter((s) => s.problem === "ENOENT");
  const present = states.length - missing.length;
  if (missing.length > 0) {
    return warn(
      area,
      name,
      `${present} of ${states.length} present; missing: ${describe(missing, false)}`,
      "nothing to do if those users have not uploaded yet (Nextcloud's auto-upload creates the " +
        "folder); otherwise check nextcloud.sourceFolders",
    );
  }
  return ok(area, name, `all ${states.length} present and readable`);
}

export interface UserFilesWrite {
  user: string;
  /** null: a file could be created and removed in `<user>/files`. */
  writeError: string | null;
}

/** With archive/delete photoferry moves files out of users' folders, so it must write there. */
export function judgeUserFilesWritable(
  afterMove: "archive" | "delete" | "keep",
  writes: readonly UserFilesWrite[],
  nextcloudUser: string,
): CheckResult {
  const name = "user folders writable";
  if (afterMove === "keep") {
    return skip(area, name, "afterMove: keep leaves the originals where they are");
  }
  if (writes.length === 0) return skip(area, name, "no included user");
  const refused = writes.filter((w) => w.writeError !== null);
  if (refused.length === 0) {
    return ok(area, name, `photoferry can write in ${writes.length} user folder(s)`);
  }
  const readOnly = refused.some((w) => w.writeError === "EROFS");
  return fail(
    area,
    name,
    `cannot create files in ${refused.map((w) => `${w.user}/files (${w.writeError})`).join(", ")}`,
    readOnly
      ? `afterMove: ${afterMove} moves files out of users' folders, so the data dir must be mounted read-write (remove \`:ro\`), or use afterMove: keep`
      : `afterMove: ${afterMove} moves files out of users' folders: run photoferry as Nextcloud's user ` +
          `(${nextcloudUser}, the same as occ) or give it write access, or use afterMove: keep`,
  );
}
