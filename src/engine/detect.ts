import { lstat } from "node:fs/promises";
import { posix } from "node:path";
import { msFromNs } from "../scan/inspect-entry.js";
import type { PhotoferryConfig } from "../config/resolve-config.js";
import { isUnchanged, type SourceFile, type SourceFiles } from "../ledger/source-files.js";
import { ignoreReason } from "../media/ignore-rules.js";
import type { ExtensionTable } from "../media/media-types.js";
import type { DirIndex } from "../scan/dir-index.js";
import { reconcileScan, type ScannedFile } from "../scan/reconcile-scan.js";
import type { ScanFs } from "../scan/scan-fs.js";
import { judgeSettled, type SettleMode } from "../detect/settle.js";

/** A file that may need ferrying: new, changed, or still waiting from an earlier pass. */
export interface Candidate {
  file: SourceFile;
  /** Below `<user>/files`, '/'-separated. */
  pathBelowFiles: string;
  settled: boolean;
  readyAt?: number;
}

export interface IgnoredEntry {
  path: string;
  userId: string;
  reason: string;
}

export interface DetectOptions {
  config: PhotoferryConfig;
  userId: string;
  sourceFiles: SourceFiles;
  index: DirIndex;
  extensions?: ExtensionTable;
  now: number;
  mode: SettleMode;
  /** False in a dry run: the ledger is read, never written. */
  record: boolean;
  scanFs?: ScanFs;
}

const finished = new Set<SourceFile["status"]>(["transferred", "duplicate", "kept", "quarantined"]);

/**
 * Scans one user's source folders and updates the ledger: what is new or changed, whether
 * it has settled. Unchanged files that were handled before never come back.
 */
export async function detectUserFiles(
  options: DetectOptions,
): Promise<{ candidates: Candidate[]; ignored: IgnoredEntry[] }> {
  const { config, userId, sourceFiles } = options;
  const filesDir = posix.join(config.nextcloud.dataDir, userId, "files");
  const candidates: Candidate[] = [];
  const ignored: IgnoredEntry[] = [];
  for (const folder of config.nextcloud.sourceFolders) {
    const root = posix.join(filesDir, folder);
    const scan = reconcileScan(root, {
      index: options.index,
      ...(options.scanFs ? { fs: options.scanFs } : {}),
      now: () => options.now,
      ignore: (entry) => {
        const reason = ignoreReason(
          { ...entry, relativePath: `${folder}/${entry.relativePath}` },
          options.extensions,
        );
        if (reason && entry.type === "file")
          ignored.push({ path: posix.join(root, entry.relativePath), userId, reason: reason.text });
        return reason?.text ?? null;
      },
      onSkipped: (path, reason) => ignored.push({ path, userId, reason }),
    });
    for await (const scanned of scan) {
      const candidate = observe(scanned, `${folder}/${scanned.relativePath}`, options);
      if (candidate) candidates.push(candidate);
    }
  }
  // Files still waiting sit in folders that may not be read again: look at them directly.
  const seen = new Set(candidates.map((candidate) => candidate.file.path));
  for (const waiting of sourceFiles.pending()) {
    if (waiting.userId !== userId || seen.has(waiting.path)) continue;
    const below = posix.relative(filesDir, waiting.path);
    const folder = config.nextcloud.sourceFolders.find(
      (f) => below === f || below.startsWith(`${f}/`),
    );
    // Outside this pass's folders (a per-folder schedule limits them): left for a pass that
    // covers it, its settle time kept.
    if (!folder) continue;
    // The scan never follows a symlinked folder; this direct look must not either.
    const stat = (await onlyRealDirs(filesDir, below)) ? await lstatFile(waiting.path) : null;
    if (!stat) {
      if (options.record) sourceFiles.remove(waiting.path);
      continue;
    }
    const candidate = observe({ ...stat, path: waiting.path, relativePath: below }, below, options);
    if (candidate) candidates.push(candidate);
  }
  return { candidates, ignored };
}

/** True when every folder from `root` down to the file's parent is a real directory. */
async function onlyRealDirs(root: string, below: string): Promise<boolean> {
  let current = root;
  for (const segment of ["", ...below.split("/").slice(0, -1)]) {
    current = segment ? posix.join(current, segment) : current;
    try {
      const stat = await lstat(current);
      if (!stat.isDirectory()) return false;
    } catch {
      return false;
    }
  }
  return true;
}

async function lstatFile(path: string): Promise<Omit<ScannedFile, "path" | "relativePath"> | null> {
  try {
    const stat = await lstat(path, { bigint: true });
    if (!stat.isFile()) return null;
    return {
      size: Number(stat.size),
      mtimeMs: msFromNs(stat.mtimeNs),
      mtimeNs: stat.mtimeNs,
      ino: stat.ino,
      dev: stat.dev,
    };
  } catch {
    return null;
  }
}

function observe(
  scanned: ScannedFile,
  pathBelowFiles: string,
  options: DetectOptions,
): Candidate | null {
  const { sourceFiles, now, userId } = options;
  const seen = {
    size: scanned.size,
    mtimeNs: scanned.mtimeNs.toString(),
    ino: scanned.ino.toString(),
    dev: scanned.dev.toString(),
  };
  const known = sourceFiles.get(scanned.path);
  const unchanged = known !== undefined && isUnchanged(known, seen);
  if (unchanged && finished.has(known.status)) return null;
  const previous =
    known && known.size === scanned.size && known.mtimeNs === seen.mtimeNs
      ? { size: known.size, mtimeMs: known.mtimeMs, since: known.settleSince }
      : undefined;
  const verdict = judgeSettled(
    previous,
    scanned,
    now,
    options.config.schedule.settleSeconds * 1000,
    options.mode,
  );
  const file: SourceFile = {
    path: scanned.path,
    userId,
    mtimeMs: scanned.mtimeMs,
    ...seen,
    settleSince: verdict.observation.since,
    sha256: unchanged ? known.sha256 : null,
    sha1: unchanged ? known.sha1 : null,
    status: "pending",
    reason: null,
    updatedAt: now,
  };
  if (options.record) sourceFiles.put(file);
  return {
    file,
    pathBelowFiles,
    settled: verdict.settled,
    ...(verdict.settled ? {} : { readyAt: verdict.readyAt }),
  };
}
