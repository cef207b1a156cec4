import { posix } from "node:path";
import type { PhotoferryConfig } from "../config/resolve-config.js";
import { planScans, type AffectedUser } from "../nextcloud/scan-targets.js";
import type { ScanBatch, ScanPlan } from "./indexing-chain.js";

/**
 * Turns what the batches did into Nextcloud's scans: the library folders PhotoPrism filled,
 * the users' folders files left, and the archive folders they went to.
 */
export function scanPlanFor(
  config: PhotoferryConfig,
  batches: readonly ScanBatch[],
): ScanPlan & { notes: string[] } {
  const moved = new Map<string, Set<string>>();
  const policies = new Set<"archive" | "delete" | "keep">();
  let importedFiles: string[] | undefined = [];
  for (const batch of batches) {
    if (batch.importedFiles === null) importedFiles = undefined;
    else importedFiles?.push(...batch.importedFiles);
    for (const entry of batch.entries) {
      if (entry.state !== "done" || entry.afterMove === "keep") continue;
      const filesDir = posix.join(config.nextcloud.dataDir, entry.userId, "files");
      const below = posix.relative(filesDir, posix.dirname(entry.sourcePath));
      if (below.startsWith("..")) continue;
      policies.add(entry.afterMove);
      const folders = moved.get(entry.userId) ?? new Set<string>();
      folders.add(below);
      moved.set(entry.userId, folders);
    }
  }
  const users: AffectedUser[] = [...moved].map(([userId, folders]) => ({
    userId,
    movedFromFolders: [...folders],
  }));
  // Batches made under an older setting keep theirs: an archive anywhere means archive scans.
  const afterMove = policies.has("archive")
    ? "archive"
    : policies.has("delete")
      ? "delete"
      : "keep";
  const plan = planScans({
    libraryPaths: config.nextcloud.libraryPaths,
    importedFiles,
    users,
    sourceFolders: config.nextcloud.sourceFolders,
    afterMove,
    archiveDir: config.nextcloud.archiveDir,
    memories: config.nextcloud.memories.enabled,
  });
  const scans: ScanPlan["scans"] = [];
  const memories: ScanPlan["memories"] = [];
  for (const step of plan.steps) {
    if (step.command === "files:scan") scans.push({ path: step.virtualPath, why: step.reason });
    else memories.push({ userId: step.userId, path: step.path });
  }
  return { scans, memories, notes: plan.notes };
}
