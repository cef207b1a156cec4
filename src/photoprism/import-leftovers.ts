import { posix } from "node:path";
import { quarantineFiles } from "../engine/quarantine.js";
import { errorCode } from "../errno.js";
import type { LibraryFiles } from "../ledger/library-files.js";
import type { TransferFs } from "../transfer/transfer-fs.js";
import { containedPath, publishedBatchDir } from "../transfer/transfer-paths.js";
import { whereOf } from "./photoprism-api.js";
import type { ImportVerification } from "./verify-import.js";

export interface QuarantinedLeftover {
  relative: string;
  /** Where it is now: `<import>/.photoferry/quarantine/<batch>/<relative>` (or a free variant). */
  to: string;
}

export interface SettledLeftovers {
  quarantined: QuarantinedLeftover[];
  /** Listed as left behind, but gone by the time it was to be moved (PhotoPrism still busy?). */
  vanished: string[];
  /** The batch folder was empty afterwards and has been removed. */
  batchRemoved: boolean;
}

/**
 * Moves what PhotoPrism left in the batch folder to the quarantine area, each file beside a
 * `.reason.txt` — never deleting or overwriting anything — and removes the batch folder once
 * nothing is left in it. Call it when no further import of the batch will be tried.
 */
export async function quarantineLeftovers(
  verification: Pick<ImportVerification, "batchId" | "leftovers">,
  importDir: string,
  deps: { fs: TransferFs; hash: (path: string) => Promise<{ sha256: string }> },
): Promise<SettledLeftovers> {
  const { batchId } = verification;
  const batchDir = publishedBatchDir(importDir, batchId);
  const quarantined: QuarantinedLeftover[] = [];
  const vanished: string[] = [];
  for (const leftover of verification.leftovers) {
    const path = containedPath(batchDir, leftover.relative);
    const file = {
      path,
      // quarantine/<batch>/<path inside the batch>, the batch standing where a user id would.
      userId: batchId,
      pathBelowFiles: leftover.relative,
      sha256: leftover.entry?.sha256 ?? null,
    };
    const reason = `PhotoPrism did not import it (batch ${batchId}): ${leftover.reason}`;
    try {
      const [to] = await quarantineFiles([file], reason, importDir, deps.fs, deps.hash);
      quarantined.push({ relative: leftover.relative, to: to ?? "" });
    } catch (error) {
      if (errorCode(error) !== "ENOENT" || (await deps.fs.lstat(path)) !== null) throw error;
      vanished.push(leftover.relative);
    }
  }
  await deps.fs.pruneEmptyDirs(batchDir, false);
  return { quarantined, vanished, batchRemoved: (await deps.fs.lstat(batchDir)) === null };
}

/**
 * Records in the ledger where PhotoPrism keeps each file it was asked about (origin
 * `photoprism`, location `originals/<path>`), so the content is known as in the library even
 * after the batch folder is gone. Only paths PhotoPrism's index confirmed are recorded.
 * Returns how many were recorded.
 */
export function recordLearntOriginals(
  verification: Pick<ImportVerification, "verdicts">,
  library: Pick<LibraryFiles, "put">,
  now: number,
): number {
  let recorded = 0;
  for (const verdict of verification.verdicts) {
    if (!verdict.verified || verdict.originalsPath === null) continue;
    const { entry } = verdict;
    library.put({
      sha256: entry.sha256,
      sha1: entry.sha1,
      origin: "photoprism",
      location: whereOf({ name: verdict.originalsPath, root: "/" }),
      // The name it had when it was sent, which is what the name+size rule compares.
      name: posix.basename(entry.sourcePath),
      size: entry.size,
      addedAt: now,
    });
    recorded++;
  }
  return recorded;
}
