import { DEFAULT_EXTENSION_TABLE, extensionOf, type ExtensionTable } from "./media-types.js";

export type EntryType = "file" | "dir" | "symlink" | "fifo" | "socket" | "block" | "char" | "other";

export interface EntryInfo {
  /** Below the user's `files/` folder, '/'-separated, e.g. `InstantUpload/Camera/IMG_1.jpg`. */
  relativePath: string;
  type: EntryType;
  size: number;
}

export type JunkKind =
  | "macos-finder"
  | "macos-resource-fork"
  | "windows-thumbnails"
  | "windows-folder-settings"
  | "synology-thumbnails"
  | "android-trashed"
  | "android-pending";

/** An ignored entry is left where it is and looked at again if it changes. */
export type IgnoreReason =
  | { code: "upload-temp-file"; text: string }
  | { code: "junk"; junk: JunkKind; text: string }
  | { code: "hidden"; segment: string; inHiddenFolder: boolean; text: string }
  | { code: "not-regular-file"; entryType: Exclude<EntryType, "file" | "dir">; text: string }
  | { code: "empty-file"; text: string }
  | { code: "unsupported-extension"; extension: string | null; text: string };

/**
 * `<user>/uploads/` holds chunked uploads before Nextcloud assembles them (nextcloud.md §5.2).
 * It is a sibling of `files/`, so this takes a path relative to the user's folder; a folder
 * the user named `uploads` inside `files/` is ordinary content.
 */
export function isUploadsPath(userRelativePath: string): boolean {
  const first = userRelativePath.split("/").find((segment) => segment !== "");
  return first === "uploads";
}

export function ignoreReason(
  entry: EntryInfo,
  extensions: ExtensionTable = DEFAULT_EXTENSION_TABLE,
): IgnoreReason | null {
  const segments = entry.relativePath.split("/").filter((segment) => segment !== "");
  const name = segments.pop() ?? "";

  for (const folder of segments) {
    const reason = folderReason(folder, true);
    if (reason) return reason;
  }
  const byName = entry.type === "dir" ? folderReason(name, false) : fileNameReason(name);
  if (byName) return byName;

  switch (entry.type) {
    case "dir":
      return null;
    case "file":
      break;
    case "symlink":
      return notRegular(entry.type, "a symbolic link: photoferry never follows links");
    case "fifo":
      return notRegular(entry.type, "a named pipe, not a regular file");
    case "socket":
      return notRegular(entry.type, "a socket, not a regular file");
    case "block":
    case "char":
      return notRegular(entry.type, "a device, not a regular file");
    case "other":
      return notRegular(entry.type, "not a regular file");
  }

  if (entry.size === 0) {
    return {
      code: "empty-file",
      text: "empty (0 bytes): an upload that has not started or has failed",
    };
  }
  const extension = extensionOf(name);
  if (extension === null || !extensions.has(extension)) {
    return {
      code: "unsupported-extension",
      extension,
      text:
        extension === null
          ? "has no file extension, so it is not a known photo or video"
          : `".${extension}" is not a photo, video or sidecar extension photoferry is set to ferry`,
    };
  }
  return null;
}

function folderReason(folder: string, isAncestor: boolean): IgnoreReason | null {
  const where = isAncestor ? `inside "${folder}", ` : "";
  if (folder === "@eaDir") return junk("synology-thumbnails", where);
  // Nextcloud's own scanner skips anything below a `*.part` folder (Cache\Scanner::isPartialFile).
  if (folder.toLowerCase().endsWith(".part")) {
    return { code: "upload-temp-file", text: `${where}a Nextcloud upload in progress` };
  }
  if (folder.startsWith(".")) {
    return {
      code: "hidden",
      segment: folder,
      inHiddenFolder: isAncestor,
      text: isAncestor
        ? `inside the hidden folder "${folder}"`
        : "a hidden folder (its name starts with a dot)",
    };
  }
  return null;
}

function fileNameReason(name: string): IgnoreReason | null {
  const lower = name.toLowerCase();
  // Old Nextcloud: `<name>.ocTransferId<n>.part`; new: `<xxh128>.ocTransferId<n>.part`.
  if (lower.includes(".octransferid") || lower.endsWith(".part")) {
    return {
      code: "upload-temp-file",
      text: "a Nextcloud upload in progress; the finished file appears under its real name",
    };
  }
  const junkKind = junkFileKind(name, lower);
  if (junkKind) return junk(junkKind, "");
  if (name.startsWith(".")) {
    return {
      code: "hidden",
      segment: name,
      inHiddenFolder: false,
      text: "a hidden file (its name starts with a dot)",
    };
  }
  return null;
}

function junkFileKind(name: string, lower: string): JunkKind | null {
  if (lower === ".ds_store") return "macos-finder";
  if (name.startsWith("._")) return "macos-resource-fork";
  if (lower === "thumbs.db") return "windows-thumbnails";
  if (lower === "desktop.ini") return "windows-folder-settings";
  if (name.startsWith(".trashed-")) return "android-trashed";
  if (name.startsWith(".pending-")) return "android-pending";
  return null;
}

function junk(kind: JunkKind, where: string): IgnoreReason {
  return { code: "junk", junk: kind, text: where + junkText(kind) };
}

function junkText(kind: JunkKind): string {
  switch (kind) {
    case "macos-finder":
      return "macOS Finder folder settings (.DS_Store), not a photo";
    case "macos-resource-fork":
      // Copied from a Mac to a non-Apple disk, `._IMG_1.JPG` keeps the photo's extension.
      return "a macOS resource-fork file (._ prefix): metadata only, not the photo it is named after";
    case "windows-thumbnails":
      return "a Windows Explorer thumbnail cache (Thumbs.db)";
    case "windows-folder-settings":
      return "Windows folder settings (desktop.ini)";
    case "synology-thumbnails":
      return "a Synology thumbnail folder (@eaDir): previews the NAS generated, not originals";
    case "android-trashed":
      return "in the Android trash (.trashed-…): deleted on the phone, kept there for 30 days";
    case "android-pending":
      return "still being written on the Android phone (.pending-…)";
  }
}

function notRegular(entryType: Exclude<EntryType, "file" | "dir">, what: string): IgnoreReason {
  return { code: "not-regular-file", entryType, text: what };
}
