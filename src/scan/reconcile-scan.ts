import { resolve } from "node:path";
import type { DirIndex, DirRecord } from "./dir-index.js";
import {
  childPath,
  inspectEntry,
  type InspectContext,
  type PendingDir,
  type ScanEntry,
  type ScannedFile,
} from "./inspect-entry.js";
import { nodeScanFs, type ScanDirent, type ScanFs, type ScanStats } from "./scan-fs.js";
import { byCodeUnits, canSkipRead, errorReason, isGone, NEVER_TRUSTED } from "./scan-rules.js";

export type { ScanEntry, ScannedFile } from "./inspect-entry.js";

export interface ReconcileScanOptions {
  /** What earlier scans saw; updated as this one goes. */
  index: DirIndex;
  /**
   * Why an entry is ignored, or null to keep it. Ignored directories are not descended into.
   * The index remembers which subdirectories were kept: after changing the rules, call
   * `index.removeTree(root)` (or scan with `rereadAll`) so nothing stays hidden.
   */
  ignore: (entry: ScanEntry) => string | null;
  /** The clock, ms since the epoch (default `Date.now`). */
  now?: () => number;
  fs?: ScanFs;
  /** Entries passed over that a person may want to know about, with plain-words reasons. */
  onSkipped?: (path: string, reason: string) => void;
  /** Stops the scan between two directories or two batches of entries (it throws). */
  signal?: AbortSignal;
  /** Read every directory, trusting nothing in the index (which is still updated). */
  rereadAll?: boolean;
  /** How many lstat calls may be in flight at once (default 32). */
  concurrency?: number;
  /** With a synchronous `fs`, hand the event loop back this often (ms, default 10). */
  yieldEveryMs?: number;
}

export interface ScanSummary {
  root: string;
  /** `missing`: the root does not exist (nothing to do); `unusable`: see `onSkipped`. */
  rootStatus: "scanned" | "missing" | "unusable";
  dirsRead: number;
  /** Unchanged since a trusted earlier scan: not read, only lstat'ed. */
  dirsSkipped: number;
  filesReported: number;
  entriesIgnored: number;
  /** Symbolic links, pipes, devices and the like that `ignore` did not ignore. */
  entriesSkipped: number;
  /** Directories or entries that could not be read; all reported through `onSkipped`. */
  errors: number;
}

/** The files; `summary` counts as the scan goes and is also the generator's return value. */
export type ReconcileScan = AsyncGenerator<ScannedFile, ScanSummary, undefined> & {
  readonly summary: ScanSummary;
};

interface Scan extends InspectContext {
  index: DirIndex;
  now: () => number;
  report: (path: string, reason: string) => void;
  signal: AbortSignal | undefined;
  rereadAll: boolean;
  concurrency: number;
  pace: () => Promise<void>;
  summary: ScanSummary;
}

/**
 * Lists the regular files below `root` that may be new or changed since the scans recorded in
 * `options.index`. A directory whose mtime and ctime are unchanged (and were already old when
 * it was read, see `TRUST_MARGIN_MS`) holds the same entries as then: it is not read, and only
 * its recorded subdirectories are visited, with one lstat each. Nextcloud writes uploads to a
 * `.part` file and renames it, which changes the directory's mtime; a file rewritten in place
 * is not noticed in a directory that is not read.
 *
 * A directory is recorded only after all its files were taken from the generator, so a
 * consumer that stops early (or crashes) sees them again next time. Symbolic links are never
 * followed, and the root itself must not be one.
 */
export function reconcileScan(root: string, options: ReconcileScanOptions): ReconcileScan {
  const absoluteRoot = resolve(root);
  const summary: ScanSummary = {
    root: absoluteRoot,
    rootStatus: "scanned",
    dirsRead: 0,
    dirsSkipped: 0,
    filesReported: 0,
    entriesIgnored: 0,
    entriesSkipped: 0,
    errors: 0,
  };
  const scan: Scan = {
    fs: options.fs ?? nodeScanFs,
    ignore: options.ignore,
    index: options.index,
    now: options.now ?? Date.now,
    report: options.onSkipped ?? (() => {}),
    signal: options.signal,
    rereadAll: options.rereadAll ?? false,
    concurrency: Math.max(1, options.concurrency ?? 32),
    pace: eventLoopPacer(options.yieldEveryMs ?? 10),
    summary,
  };
  return Object.assign(walk(absoluteRoot, scan), { summary });
}

async function* walk(root: string, scan: Scan): AsyncGenerator<ScannedFile, ScanSummary> {
  const rootStat = await statRoot(root, scan);
  if (rootStat === undefined) return scan.summary;
  const stack: PendingDir[] = [{ path: root, relativePath: "", stat: rootStat }];
  for (let dir = stack.pop(); dir !== undefined; dir = stack.pop()) {
    scan.signal?.throwIfAborted();
    await scan.pace();
    const record = scan.index.get(dir.path);
    let children =
      !scan.rereadAll && canSkipRead(record, dir.stat)
        ? await visitRecorded(dir, record, scan)
        : undefined;
    if (children !== undefined) scan.summary.dirsSkipped++;
    else children = yield* readDirectory(dir, record, scan);
    // Reversed so that the stack pops them in name order: a depth-first walk in sorted order.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return scan.summary;
}

async function statRoot(root: string, scan: Scan): Promise<ScanStats | undefined> {
  const unusable = (reason: string): undefined => {
    scan.index.removeTree(root);
    scan.summary.rootStatus = "unusable";
    scan.summary.errors++;
    scan.report(root, reason);
    return undefined;
  };
  let stat: ScanStats;
  try {
    stat = await scan.fs.lstat(root);
  } catch (error) {
    if (!isGone(error)) return unusable(errorReason(error));
    scan.index.removeTree(root);
    scan.summary.rootStatus = "missing";
    return undefined;
  }
  if (stat.isSymbolicLink()) {
    return unusable(
      "the folder to scan is a symbolic link: photoferry never follows links; " +
        "configure the real folder",
    );
  }
  if (!stat.isDirectory()) return unusable("the path to scan is not a folder");
  return stat;
}

/**
 * The subdirectories of an unchanged directory, lstat'ed. Undefined if one is gone or is no
 * longer a directory: then the record is wrong after all (times set back by hand, a clock
 * jump) and the directory is read instead.
 */
async function visitRecorded(
  dir: PendingDir,
  record: DirRecord,
  scan: Scan,
): Promise<PendingDir[] | undefined> {
  type Looked = { name: string; path: string; stat?: ScanStats; error?: unknown };
  const stats = await mapInBatches(
    record.subdirs,
    scan.concurrency,
    async (name): Promise<Looked> => {
      const path = childPath(dir.path, name);
      try {
        return { name, path, stat: await scan.fs.lstat(path) };
      } catch (error) {
        return { name, path, error };
      }
    },
  );
  const consistent = stats.every((s) =>
    s.stat !== undefined ? s.stat.isDirectory() : !isGone(s.error),
  );
  if (!consistent) return undefined;
  const children: PendingDir[] = [];
  for (const { name, path, stat, error } of stats) {
    if (stat === undefined) {
      failedDir(path, errorReason(error), scan);
      continue;
    }
    const relativePath = dir.relativePath === "" ? name : `${dir.relativePath}/${name}`;
    children.push({ path, relativePath, stat });
  }
  return children;
}

async function* readDirectory(
  dir: PendingDir,
  previous: DirRecord | undefined,
  scan: Scan,
): AsyncGenerator<ScannedFile, PendingDir[]> {
  // Taken before the readdir: an entry added after it must count as "after the scan".
  const scannedAtMs = scan.now();
  let dirents: ScanDirent[];
  try {
    dirents = [...(await scan.fs.readdir(dir.path))];
  } catch (error) {
    // Gone since its lstat: its parent's mtime changed, so the parent is re-read next time.
    if (isGone(error)) scan.index.removeTree(dir.path);
    else failedDir(dir.path, errorReason(error), scan);
    return [];
  }
  scan.summary.dirsRead++;
  dirents.sort((a, b) => byCodeUnits(a.name, b.name));

  const subdirs: string[] = [];
  const children: PendingDir[] = [];
  let retryNextTime = false;
  for (let start = 0; start < dirents.length; start += scan.concurrency) {
    if (start > 0) {
      scan.signal?.throwIfAborted();
      await scan.pace();
    }
    const batch = dirents.slice(start, start + scan.concurrency);
    const outcomes = await Promise.all(batch.map((dirent) => inspectEntry(dir, dirent, scan)));
    for (const outcome of outcomes) {
      switch (outcome.kind) {
        case "file":
          scan.summary.filesReported++;
          yield outcome.file;
          break;
        case "dir":
          subdirs.push(outcome.name);
          children.push(outcome.child);
          break;
        case "dir-error":
          // Still listed, so it is retried even while this directory stays unchanged.
          subdirs.push(outcome.name);
          failedDir(outcome.path, outcome.reason, scan);
          break;
        case "ignored":
          scan.summary.entriesIgnored++;
          break;
        case "skipped":
          scan.summary.entriesSkipped++;
          scan.report(outcome.path, outcome.reason);
          break;
        case "error":
          retryNextTime ||= outcome.retry;
          scan.summary.errors++;
          scan.report(outcome.path, outcome.reason);
          break;
        case "gone":
          break;
      }
    }
  }

  if (previous !== undefined) {
    const kept = new Set(subdirs);
    for (const name of previous.subdirs) {
      if (!kept.has(name)) scan.index.removeTree(childPath(dir.path, name));
    }
  }
  scan.index.put({
    path: dir.path,
    mtimeNs: dir.stat.mtimeNs,
    ctimeNs: dir.stat.ctimeNs,
    subdirs,
    scannedAtMs: retryNextTime ? NEVER_TRUSTED : scannedAtMs,
  });
  return children;
}

/** Reported, and forgotten so that it is read again next time. */
function failedDir(path: string, reason: string, scan: Scan): void {
  scan.index.removeTree(path);
  scan.summary.errors++;
  scan.report(path, reason);
}

async function mapInBatches<T, R>(
  items: readonly T[],
  size: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) {
    results.push(...(await Promise.all(items.slice(start, start + size).map(fn))));
  }
  return results;
}

/**
 * With a synchronous ScanFs every await resolves at once and the scan would hold the event
 * loop to the end; this hands it back (one setImmediate) once `everyMs` have passed.
 */
function eventLoopPacer(everyMs: number): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last < everyMs) return;
    await new Promise<void>((resolveTurn) => setImmediate(resolveTurn));
    last = performance.now();
  };
}
