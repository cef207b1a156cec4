import { posix } from "node:path";
import { isSameOrInside } from "../config/validators.js";

/** Hidden, so PhotoPrism never imports a half-built batch. */
export const stagingFolderName = ".photoferry";

export const stagingBatchDir = (importDir: string, batchId: string): string =>
  posix.join(importDir, stagingFolderName, batchId);

export const publishedBatchDir = (importDir: string, batchId: string): string =>
  posix.join(importDir, batchId);

/**
 * Sortable, unique, and safe as a folder name for PhotoPrism (no leading dot, `@`, `_`).
 * Letters only: PhotoPrism dates a photo without EXIF by any date it finds in its path, so a
 * timestamp in digits would date old photos by the day they were ferried.
 */
export function newBatchId(now: number, random: () => number = Math.random): string {
  const letters = (value: number, width: number): string => {
    let text = "";
    for (let rest = Math.floor(value); text.length < width; rest = Math.floor(rest / 26)) {
      text = String.fromCharCode(97 + (rest % 26)) + text;
    }
    return text;
  };
  // 10 letters hold milliseconds until the year 6000, so ids sort by time as strings.
  return `photoferry-${letters(now, 10)}-${letters(random() * 26 ** 4, 4)}`;
}

/** Joins `relative` under `root`, refusing anything that would land outside it. */
export function containedPath(root: string, relative: string): string {
  const joined = posix.join(root, relative);
  if (!isSameOrInside(joined, root) || joined === posix.normalize(root)) {
    throw new Error(`'${relative}' would leave ${root}`);
  }
  return joined;
}

/**
 * Where `afterMove: archive` puts a user's file: a relative archiveDir is inside the user's
 * files (keeping the path below `files/`), an absolute one is outside Nextcloud with
 * `{user}` replaced.
 */
export function archiveTarget(
  archiveDir: string,
  userId: string,
  userFilesDir: string,
  pathBelowFiles: string,
): string {
  const root = posix.isAbsolute(archiveDir)
    ? archiveDir.replaceAll("{user}", userId)
    : containedPath(userFilesDir, archiveDir);
  return containedPath(root, pathBelowFiles);
}

/**
 * Free names for a group of files that must keep matching names (a photo and its sidecars):
 * `IMG_1.JPG` + `IMG_1.jpg.xmp` → `IMG_1 (2).JPG` + `IMG_1 (2).jpg.xmp`, the first suffix
 * for which `taken` says every member is free.
 */
export async function uniqueGroupPaths(
  paths: readonly string[],
  taken: (candidate: string) => Promise<boolean>,
): Promise<string[]> {
  for (let n = 1; n < 10_000; n++) {
    const candidates = paths.map((path) => (n === 1 ? path : withSuffix(path, ` (${n})`)));
    const free = await Promise.all(candidates.map(async (candidate) => !(await taken(candidate))));
    if (free.every(Boolean)) return candidates;
  }
  throw new Error(`no free name next to ${paths[0] ?? "?"}`);
}

function withSuffix(path: string, suffix: string): string {
  const dir = posix.dirname(path);
  const name = posix.basename(path);
  const dot = name.indexOf(".", 1);
  const renamed = dot === -1 ? name + suffix : name.slice(0, dot) + suffix + name.slice(dot);
  return posix.join(dir, renamed);
}
