import { posix } from "node:path";
import type { PhotoferryConfig } from "../config/resolve-config.js";
import { toVirtualPath } from "../nextcloud/occ-paths.js";
import { planScans, type AffectedUser } from "../nextcloud/scan-targets.js";
import type { ScanBatch, ScanPlan } from "./indexing-chain.js";

/**
 * Turns what the batches did into Nextcloud's scans: the library folders PhotoPrism filled,
 * the users' folders files left, and the archive folders they went to — the latter from the
 * journal's archive paths, so batches made under an older setting keep theirs.
 */
export function scanPlanFor(
  config: PhotoferryConfig,
  batches: readonly ScanBatch[],
): ScanPlan & { notes: string[] } {
  const { dataDir } = config.nextcloud;
  const moved = new Map<string, Set<string>>();
  const archived = new Map<string, Set<string>>();
  let importedFiles: string[] | undefined = [];
  for (const batch of batches) {
    if (batch.importedFiles === null) importedFiles = undefined;
    else importedFiles?.push(...batch.importedFiles);
    for (const entry of batch.entries) {
      if (entry.state !== "done" || entry.afterMove === "keep") continue;
      const source = insideUserFiles(dataDir, entry.sourcePath);
      if (source) addTo(moved, source.userId, posix.dirname(source.below).replace(/^\.$/, ""));
      // An absolute archiveDir outside the data dir is not Nextcloud's business.
      const archive = entry.archivePath ? insideUserFiles(dataDir, entry.archivePath) : null;
      if (archive)
        addTo(archived, archive.userId, posix.dirname(archive.below).replace(/^\.$/, ""));
    }
  }
  const users: AffectedUser[] = [...moved].map(([userId, folders]) => ({
    userId,
    movedFromFolders: [...folders],
  }));
  const plan = planScans({
    libraryPaths: config.nextcloud.libraryPaths,
    importedFiles,
    users,
    sourceFolders: config.nextcloud.sourceFolders,
    afterMove: users.length > 0 ? "delete" : "keep",
    archiveDir: config.nextcloud.archiveDir,
    memories: config.nextcloud.memories.enabled,
  });
  const scans: ScanPlan["scans"] = [];
  const memories: ScanPlan["memories"] = [];
  for (const step of plan.steps) {
    if (step.command === "files:scan") scans.push({ path: step.virtualPath, why: step.reason });
    else memories.push({ userId: step.userId, path: step.path });
  }
  for (const [userId, folders] of archived) {
    for (const folder of outermost([...folders])) {
      scans.push({ path: toVirtualPath(userId, folder), why: "archive" });
      if (config.nextcloud.memories.enabled) memories.push({ userId, path: folder });
    }
  }
  return { scans, memories, notes: plan.notes };
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key) ?? new Set<string>();
  set.add(value);
  map.set(key, set);
}

/** `<dataDir>/<user>/files/<below>` → its user and path below `files/`, else null. */
function insideUserFiles(dataDir: string, path: string): { userId: string; below: string } | null {
  const relative = posix.relative(dataDir, path);
  if (relative === ".." || relative.startsWith("../") || posix.isAbsolute(relative)) return null;
  const [userId, files, ...rest] = relative.split("/");
  if (!userId || files !== "files" || rest.length === 0) return null;
  return { userId, below: rest.join("/") };
}

/** Sorted, without folders inside another of the list ("" covers everything). */
function outermost(folders: string[]): string[] {
  const kept: string[] = [];
  for (const folder of [...new Set(folders)].sort()) {
    if (!kept.some((k) => k === "" || folder === k || folder.startsWith(`${k}/`)))
      kept.push(folder);
  }
  return kept;
}
