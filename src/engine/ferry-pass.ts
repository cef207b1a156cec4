import type { Logger } from "pino";
import type { PhotoferryConfig } from "../config/resolve-config.js";
import { parseFileMode } from "../config/validators.js";
import type { SettleMode } from "../detect/settle.js";
import { listNextcloudUsers } from "../discovery/user-directory.js";
import { knownAfter, selectUsers, type SelectedUser } from "../discovery/user-selection.js";
import { Journal } from "../ledger/journal.js";
import { KnownUsers } from "../ledger/known-users.js";
import { LibraryFiles } from "../ledger/library-files.js";
import { SourceFiles } from "../ledger/source-files.js";
import { SqliteDirIndex } from "../ledger/sqlite-dir-index.js";
import { configuredExtensions, type ExtensionTable } from "../media/media-types.js";
import { fileActions, planGroups, type GroupToPlan } from "../plan/plan-groups.js";
import type { StateStore } from "../state/state-store.js";
import {
  TransferExecutor,
  type BatchReport,
  type PlannedGroup,
} from "../transfer/transfer-executor.js";
import { nodeTransferFs, type TransferFs } from "../transfer/transfer-fs.js";
import { detectUserFiles } from "./detect.js";
import { groupCandidates, hashSettled, readExifKeys } from "./prepare-groups.js";
import { indexLibraryFolder } from "./index-library-folder.js";
import { LibraryLookup, type PhotoPrismLookup } from "./library-lookup.js";
import { OverlayDirIndex } from "./overlay-dir-index.js";
import { quarantineFiles } from "./quarantine.js";

export type Hasher = (
  path: string,
  options: { sha1: boolean },
) => Promise<{ sha256: string; sha1?: string }>;

export interface PassDeps {
  config: PhotoferryConfig;
  store: StateStore;
  hasher: Hasher;
  logger: Logger;
  now?: () => number;
  fs?: TransferFs;
  photoprism?: PhotoPrismLookup;
  /** Told how far detection, hashing and the transfer have come (the service's progress bars). */
  onProgress?: (progress: PassProgress) => void;
  /** Stops the pass between steps and the transfer between files; the journal keeps the rest. */
  signal?: AbortSignal;
}

export interface PassProgress {
  step: "detect" | "hash" | "transfer";
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface PassOptions {
  mode: SettleMode;
  dryRun: boolean;
  /** Accept an import folder other than the one used before (it was moved on purpose). */
  acceptNewImportFolder?: boolean;
}

const importIdentityKey = "import_dir_identity";

/**
 * A Docker volume that is not mounted shows an empty folder in its place; ferrying into it
 * would hide photos in the container. The import folder's device and inode are remembered,
 * and a different folder is refused until the person says it is intended.
 */
function checkImportFolderIdentity(
  store: StateStore,
  identity: string,
  options: PassOptions,
): void {
  const known = store.getMeta(importIdentityKey);
  if (known !== undefined && known !== identity && !options.acceptNewImportFolder) {
    throw new Error(
      "PhotoPrism's import folder is not the folder photoferry used before (its device or inode " +
        "changed): is the volume mounted? If you moved it on purpose, run once with --new-import-folder",
    );
  }
  if (!options.dryRun && known !== identity) store.setMeta(importIdentityKey, identity);
}

export type FileAction = "transfer" | "duplicate" | "wait" | "quarantine" | "skip" | "ignore";

export interface FileReport {
  path: string;
  userId: string;
  action: FileAction;
  reason: string;
  /** What actually happened, when the pass was not a dry run. */
  outcome?: string;
}

export interface PassReport {
  dryRun: boolean;
  users: SelectedUser[];
  files: FileReport[];
  batch: BatchReport | null;
  recovered: BatchReport[];
  /** Problems that stopped part of the pass, in plain words. */
  errors: string[];
  /** When the first file still settling may be ready (ms); absent when none waits to settle. */
  settleReadyAt?: number;
}

/** One complete pass: recover, discover, detect, group, hash, dedupe, plan, transfer. */
export async function runFerryPass(deps: PassDeps, options: PassOptions): Promise<PassReport> {
  const { config, store, logger } = deps;
  const now = deps.now ?? Date.now;
  const fs = deps.fs ?? nodeTransferFs;
  const db = store.connection;
  const journal = new Journal(db);
  const sourceFiles = new SourceFiles(db);
  const library = new LibraryFiles(db);
  const hash = async (path: string) => deps.hasher(path, { sha1: false });
  const importStat = await fs.lstat(config.photoprism.importDir);
  if (!importStat || importStat.kind !== "dir") {
    throw new Error(`PhotoPrism's import folder ${config.photoprism.importDir} does not exist`);
  }
  const importDev = importStat.dev;
  checkImportFolderIdentity(store, `${importStat.dev}:${importStat.ino}`, options);
  const executor = new TransferExecutor({
    fs,
    journal,
    sourceFiles,
    library,
    transaction: (fn) => store.transaction(fn),
    hash,
    now,
    logger,
    importDev,
    ...(deps.onProgress ? { onEntryDone: transferProgress(deps.onProgress) } : {}),
    ...(deps.signal ? { signal: deps.signal } : {}),
    settings: {
      importDir: config.photoprism.importDir,
      dataDir: config.nextcloud.dataDir,
      afterMove: config.nextcloud.afterMove,
      archiveDir: config.nextcloud.archiveDir,
      files: {
        ...config.photoprism.files,
        mode: parseFileMode(config.photoprism.files.mode) ?? 0o644,
      },
      reserveBytes: 256 * 2 ** 20,
    },
  });
  const report: PassReport = {
    dryRun: options.dryRun,
    users: [],
    files: [],
    batch: null,
    recovered: [],
    errors: [],
  };
  if (!options.dryRun) report.recovered = await executor.recover();

  const users = await selectedUsers(deps, options);
  report.users = users;
  const index = options.dryRun
    ? new OverlayDirIndex(new SqliteDirIndex(db))
    : new SqliteDirIndex(db);
  const extensions = extensionTable(config);
  const groups: GroupToPlan[] = [];
  const progress = deps.onProgress ?? (() => undefined);
  const detected = { filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0 };
  progress({ step: "detect", ...detected });
  for (const user of users.filter((u) => u.included)) {
    const { candidates, ignored } = await detectUserFiles({
      config,
      userId: user.id,
      sourceFiles,
      index,
      now: now(),
      mode: options.mode,
      record: !options.dryRun,
      extensions,
    });
    report.files.push(...ignored.map((entry) => ({ ...entry, action: "ignore" as const })));
    groups.push(...groupCandidates(user.id, candidates, extensions));
    detected.filesDone = detected.filesTotal += candidates.length;
    const bytes = candidates.reduce((sum, c) => sum + c.file.size, 0);
    detected.bytesDone = detected.bytesTotal += bytes;
    progress({ step: "detect", ...detected });
  }

  const lookupsOn = config.dedupe.photoprismLookup && deps.photoprism !== undefined;
  // SHA-1 is PhotoPrism's file key: with its API at hand, the import is verified by it.
  const { api, trigger } = config.photoprism;
  const sha1Wanted = lookupsOn || (trigger !== "none" && Boolean(api.url && api.token));
  const exifRule = config.dedupe.alsoMatch.includes("exif");
  const libraryFolders: [string, "import-folder" | "originals"][] = [
    [config.photoprism.importDir, "import-folder"],
  ];
  if (config.photoprism.originalsDir)
    libraryFolders.push([config.photoprism.originalsDir, "originals"]);
  for (const [root, origin] of libraryFolders) {
    // In a dry run the database is a throwaway copy, so what is learnt here may be written.
    const indexed = await indexLibraryFolder(root, origin, {
      index,
      library,
      hasher: deps.hasher,
      sha1: lookupsOn,
      now,
      ...(exifRule ? { exif: extensions } : {}),
    });
    report.errors.push(...indexed.errors);
  }
  await hashSettled(
    groups,
    { ...deps, hasher: countedHasher(groups, sha1Wanted, deps.hasher, progress) },
    sha1Wanted,
    sourceFiles,
    !options.dryRun,
    report,
  );
  if (exifRule) await readExifKeys(groups, extensions, deps, report);
  const lookup = new LibraryLookup(library, {
    nameSize: config.dedupe.alsoMatch.includes("name-size"),
    exif: exifRule,
    ...(lookupsOn && deps.photoprism ? { photoprism: deps.photoprism } : {}),
  });
  await lookup.prepare(groups.flatMap((group) => group.files));
  const decisions = planGroups(groups, {
    findDuplicate: (file) => lookup.find(file),
    inFlight: journal.sourcesInFlight(),
  });
  const planned = fileActions(decisions);
  report.files.push(...planned);
  const readyAt = decisions.flatMap(({ decision }) =>
    decision.action === "wait" && decision.readyAt !== undefined ? [decision.readyAt] : [],
  );
  if (readyAt.length > 0) report.settleReadyAt = Math.min(...readyAt);
  if (options.dryRun) return report;
  if (deps.signal?.aborted) {
    report.errors.push("the pass was stopped before anything was moved; the next run goes on");
    return report;
  }

  for (const { group, decision } of decisions) {
    if (decision.action !== "quarantine") continue;
    try {
      await quarantineFiles(
        group.files.map((f) => ({ ...f, userId: group.userId })),
        decision.reason,
        config.photoprism.importDir,
        fs,
        hash,
      );
      store.transaction(() =>
        group.files.forEach((f) =>
          sourceFiles.setStatus(f.path, "quarantined", decision.reason, now()),
        ),
      );
    } catch (error) {
      report.errors.push(
        `quarantine of ${group.files[0]?.path ?? "?"} failed: ${(error as Error).message}`,
      );
    }
  }
  const toRun: PlannedGroup[] = decisions
    .filter(({ decision }) => decision.action === "transfer" || decision.action === "duplicate")
    .map(({ group, decision }) => ({
      groupKey: group.key,
      userId: group.userId,
      action: decision.action === "transfer" ? ("transfer" as const) : ("duplicate" as const),
      files: group.files.map((f) => ({
        sourcePath: f.path,
        pathBelowFiles: f.pathBelowFiles,
        sha256: f.sha256!,
        sha1: f.sha1,
        size: f.size,
        mtimeMs: f.mtimeMs,
        dev: f.dev,
      })),
    }));
  const files = toRun.flatMap((group) => group.files);
  progress({
    step: "transfer",
    filesDone: 0,
    filesTotal: files.length,
    bytesDone: 0,
    bytesTotal: files.reduce((sum, file) => sum + file.size, 0),
  });
  try {
    report.batch = await executor.run(toRun);
  } catch (error) {
    report.errors.push((error as Error).message);
    logger.error({ err: error }, "the transfer did not run");
  }
  const outcomes = new Map(report.batch?.outcomes.map((o) => [o.entry.sourcePath, o]) ?? []);
  for (const file of report.files) {
    const outcome = outcomes.get(file.path);
    if (outcome)
      file.outcome =
        outcome.outcome === "failed" ? `failed: ${outcome.error ?? "unknown"}` : outcome.outcome;
  }
  return report;
}

/** Counts what the hasher has read for the progress of the `hash` step. */
function countedHasher(
  groups: readonly GroupToPlan[],
  sha1: boolean,
  hasher: Hasher,
  progress: (progress: PassProgress) => void,
): Hasher {
  const toHash = groups
    .filter((group) => group.files.every((file) => file.settled))
    .flatMap((group) => group.files.filter((file) => !file.sha256 || (sha1 && !file.sha1)));
  const state = {
    filesDone: 0,
    filesTotal: toHash.length,
    bytesDone: 0,
    bytesTotal: toHash.reduce((sum, file) => sum + file.size, 0),
  };
  const sizes = new Map(toHash.map((file) => [file.path, file.size]));
  progress({ step: "hash", ...state });
  return async (path, options) => {
    const result = await hasher(path, options);
    state.filesDone++;
    state.bytesDone += sizes.get(path) ?? 0;
    progress({ step: "hash", ...state });
    return result;
  };
}

/** Each file the executor finishes (or gives up on) counts once towards the transfer step. */
function transferProgress(
  progress: (progress: PassProgress) => void,
): (entry: { size: number }, totals: { files: number; bytes: number }) => void {
  const done = { files: 0, bytes: 0 };
  return (entry, totals) => {
    done.files++;
    done.bytes += entry.size;
    progress({
      step: "transfer",
      filesDone: done.files,
      filesTotal: totals.files,
      bytesDone: done.bytes,
      bytesTotal: totals.bytes,
    });
  };
}

async function selectedUsers(deps: PassDeps, options: PassOptions): Promise<SelectedUser[]> {
  const { config, store, logger, now } = deps;
  const listing = await listNextcloudUsers(config.nextcloud.dataDir);
  for (const skipped of listing.skipped) logger.debug(skipped, "not a Nextcloud user folder");
  const known = new KnownUsers(store.connection);
  const selection = selectUsers(
    listing.users.map((u) => u.id),
    config.nextcloud.users,
    known.all(),
    known.hasDiscovered(),
  );
  if (!options.dryRun) known.add(knownAfter(selection), (now ?? Date.now)());
  return selection;
}

/** The configured extensions; the config was validated, so the lists resolve. */
function extensionTable(config: PhotoferryConfig): ExtensionTable {
  const result = configuredExtensions(config.nextcloud);
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join("; "));
  return result.table;
}
