/**
 * Nextcloud "virtual paths" as occ understands them: `/<uid>/files/<path below files>`.
 * occ takes the user id from the first component, so a wrong prefix makes it scan the wrong
 * user (or report `Unknown user`) while still exiting 0 — these helpers refuse such paths
 * before they are ever sent.
 */

export interface VirtualPath {
  userId: string;
  /** Below the user's `files/`, without leading or trailing `/`; "" for `files/` itself. */
  relativePath: string;
}

export class OccPathError extends Error {
  override readonly name = "OccPathError";
}

/** Nextcloud's own reserved names (data-directory entries that are never users). */
const reservedUserIds = new Set([
  "files_external",
  "__groupfolders",
  ".htaccess",
  ".ncdata",
  ".ocdata",
  "owncloud.log",
  "nextcloud.log",
  "updater.log",
  "audit.log",
  "lost+found",
]);

/**
 * Refuses ids that cannot be a Nextcloud user's folder name. Not Nextcloud's full rule
 * (LDAP and older servers allow more characters): only what would change the path's meaning.
 */
export function checkUserId(userId: string): void {
  if (userId === "" || userId === "." || userId === "..") {
    throw new OccPathError(`'${userId}' is not a Nextcloud user id`);
  }
  if (userId.includes("/") || userId.includes("\0")) {
    throw new OccPathError(`user id '${userId}' contains '/' or a NUL character`);
  }
  if (userId.trim() !== userId) {
    throw new OccPathError(`user id '${userId}' starts or ends with a space`);
  }
  if (reservedUserIds.has(userId) || userId.startsWith("appdata_")) {
    throw new OccPathError(`'${userId}' is one of Nextcloud's own folders, not a user`);
  }
}

/**
 * Normalizes a path below a user's files: drops empty and `.` segments and surrounding
 * slashes; refuses `..` (Nextcloud rejects it as "Invalid path to scan") and absolute paths
 * when `allowLeadingSlash` is false.
 */
export function normalizeRelativePath(path: string, allowLeadingSlash = false): string {
  if (path.includes("\0")) throw new OccPathError(`'${path}' contains a NUL character`);
  if (!allowLeadingSlash && path.startsWith("/")) {
    throw new OccPathError(`'${path}' must be relative to the user's files (no leading /)`);
  }
  const segments = path.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.includes("..")) {
    throw new OccPathError(`'${path}' contains '..'; Nextcloud refuses such paths`);
  }
  return segments.join("/");
}

/** `/<uid>/files/<relative>` for `occ files:scan --path=…`. */
export function toVirtualPath(userId: string, relativePath: string): string {
  checkUserId(userId);
  const rel = normalizeRelativePath(relativePath);
  return rel === "" ? `/${userId}/files` : `/${userId}/files/${rel}`;
}

/**
 * Reads a virtual path such as a configured library path. Refuses anything that does not
 * start with `/<uid>/files` — `/__groupfolders/1` or a host path would make occ look for a
 * user named after its first component.
 */
export function parseVirtualPath(path: string): VirtualPath {
  if (!path.startsWith("/")) {
    throw new OccPathError(
      `'${path}' is not a Nextcloud path: write it as /<user>/files/<folder>, e.g. /admin/files/Photos`,
    );
  }
  const [, userId = "", files, ...rest] = path.split("/");
  if (files !== "files") {
    throw new OccPathError(
      `'${path}' does not start with /<user>/files: occ takes the first part as the user id, ` +
        `so write it as /${userId || "<user>"}/files/…`,
    );
  }
  checkUserId(userId);
  return { userId, relativePath: normalizeRelativePath(rest.join("/")) };
}

/** True when `inner` is `outer` or lies below it; both relative, already normalized. */
export function isSameOrBelow(inner: string, outer: string): boolean {
  return outer === "" || inner === outer || inner.startsWith(`${outer}/`);
}

/** The deepest folder containing every given folder (all relative, normalized). */
export function commonFolder(folders: readonly string[]): string {
  const [first, ...others] = folders.map((f) => (f === "" ? [] : f.split("/")));
  if (!first) return "";
  let length = first.length;
  for (const segments of others) {
    let i = 0;
    while (i < length && i < segments.length && segments[i] === first[i]) i++;
    length = i;
  }
  return first.slice(0, length).join("/");
}
