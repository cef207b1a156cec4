import { posix } from "node:path";
import { errorCode } from "../transfer/transfer-errors.js";
import type { TransferFs } from "../transfer/transfer-fs.js";
import { containedPath, stagingFolderName, uniqueGroupPaths } from "../transfer/transfer-paths.js";

export const quarantineDir = (importDir: string): string =>
  posix.join(importDir, stagingFolderName, "quarantine");

/**
 * Moves files photoferry cannot handle out of the user's folder into a hidden quarantine
 * folder beside the staging area, each with a `.reason.txt`, never overwriting anything.
 * Returns where each file went.
 */
export async function quarantineFiles(
  files: readonly { path: string; userId: string; pathBelowFiles: string; sha256: string | null }[],
  reason: string,
  importDir: string,
  fs: TransferFs,
  hash: (path: string) => Promise<{ sha256: string }>,
): Promise<string[]> {
  const wanted = files.map((file) =>
    containedPath(quarantineDir(importDir), posix.join(file.userId, file.pathBelowFiles)),
  );
  const targets = await uniqueGroupPaths(
    wanted,
    async (path) =>
      (await fs.lstat(path)) !== null || (await fs.lstat(`${path}.reason.txt`)) !== null,
  );
  for (const [index, file] of files.entries()) {
    const target = targets[index]!;
    await fs.mkdirp(posix.dirname(target));
    try {
      await fs.renameNoReplace(file.path, target);
    } catch (error) {
      if (errorCode(error) !== "EXDEV") throw error;
      await fs.copyNew(file.path, target);
      // Compared with what was planned, not with the source now: it may still be changing.
      const copied = await hash(target);
      if (copied.sha256 !== (file.sha256 ?? (await hash(file.path)).sha256)) {
        await fs.unlink(target);
        throw new Error(`${file.path} changed while it was being quarantined`);
      }
      await fs.unlink(file.path);
    }
    await fs.writeNew(`${target}.reason.txt`, `${file.path}\n${reason}\n`);
  }
  return targets;
}
