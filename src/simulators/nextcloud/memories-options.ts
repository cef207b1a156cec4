import type { CommandDefinition, OptionDef } from "./console-input.js";
import { compareVersions } from "./simulator-settings.js";

/**
 * `memories:index` options by Memories version (pulsejet/memories lib/Command/Index.php):
 * --user/--group/--skip-cleanup since 5.5.0, --retry since 7.0.0, and --folder renamed to
 * --path (which also takes a file) in 7.6.1.
 */
export const oldestSimulatedMemories = "5.5.0";

export interface MemoriesFeatures {
  /** "path" (≥ 7.6.1) or "folder" (older). */
  pathOption: "path" | "folder";
  retry: boolean;
}

export function memoriesFeatures(version: string): MemoriesFeatures {
  if (compareVersions(version, oldestSimulatedMemories) < 0) {
    throw new Error(
      `Memories ${version} is older than the oldest simulated version ` +
        `(${oldestSimulatedMemories}); set memoriesVersion to ${oldestSimulatedMemories} or later.`,
    );
  }
  return {
    pathOption: compareVersions(version, "7.6.1") >= 0 ? "path" : "folder",
    retry: compareVersions(version, "7.0.0") >= 0,
  };
}

export function memoriesIndexDefinition(version: string): CommandDefinition {
  const features = memoriesFeatures(version);
  const options: OptionDef[] = [
    {
      name: "user",
      shortcut: "u",
      value: "required",
      description: "Index only the specified user",
    },
    { name: "group", shortcut: "g", value: "required", description: "Index only specified group" },
    features.pathOption === "path"
      ? {
          name: "path",
          value: "required",
          description: "Index only the specified folder or file (relative to the user's root)",
        }
      : {
          name: "folder",
          value: "required",
          description: "Index only the specified folder (relative to the user's root)",
        },
    {
      name: "force",
      shortcut: "f",
      value: "none",
      description: "Force refresh of existing index entries",
    },
    { name: "clear", value: "none", description: "Clear all existing index entries" },
  ];
  if (features.retry) {
    options.push({ name: "retry", value: "none", description: "Retry indexing of failed files" });
  }
  options.push({
    name: "skip-cleanup",
    value: "none",
    description: "Skip cleanup step (removing index entries with missing files)",
  });
  return {
    name: "memories:index",
    description: "Index the metadata in files",
    options,
    arguments: [],
  };
}

/**
 * File name extensions Nextcloud maps to the MIME types Memories indexes
 * (Application::IMAGE_MIMES and VIDEO_MIMES; RAW formats are image/x-dcraw).
 */
const mediaExtensions = new Set([
  ...["png", "jpg", "jpeg", "heic", "heif", "webp", "tif", "tiff", "gif", "bmp"],
  ...["arw", "cr2", "cr3", "dcr", "dng", "erf", "kdc", "mrw", "nef", "nrw", "orf", "pef", "raf"],
  ...["rw2", "rwl", "sr2", "srf", "x3f"],
  ...["mpeg", "mpg", "webm", "mp4", "mov", "mkv", "mts", "m2ts", "avi", "3gp"],
]);

export function isMemoriesMedia(path: string): boolean {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  return dot >= 0 && mediaExtensions.has(name.slice(dot + 1).toLowerCase());
}
