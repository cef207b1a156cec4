import { posix } from "node:path";
import type { Logger } from "pino";
import type { PhotoferryConfig } from "../config/resolve-config.js";
import type { LibraryFiles } from "../ledger/library-files.js";
import type { JournalEntry } from "../ledger/journal.js";
import { listBatchFiles } from "../photoprism/batch-listing.js";
import { importCommand, readExecImport, type ImportLog } from "../photoprism/exec-import.js";
import { quarantineLeftovers, recordLearntOriginals } from "../photoprism/import-leftovers.js";
import type { PhotoPrismApi } from "../photoprism/photoprism-api.js";
import { verifyImport } from "../photoprism/verify-import.js";
import { PhotoPrismApiError } from "../photoprism/photoprism-api-error.js";
import { containedPath, publishedBatchDir } from "../transfer/transfer-paths.js";
import type { CommandRunner } from "../runners/runner.js";
import type { TransferFs } from "../transfer/transfer-fs.js";
import type { BatchImporter, ImportOutcome } from "./indexing-chain.js";
import { runRecorded, type RecordedRunDeps } from "./run-recorded.js";
import type { AppName, CommandLog } from "../ledger/command-log.js";
import type { CommandQueue } from "./command-queue.js";
import { describeError } from "./describe-error.js";

export interface PhotoPrismImporterDeps {
  photoprism: PhotoferryConfig["photoprism"];
  /** How the import is started: the REST API (`api` required) or `photoprism import` (`runner`). */
  via: "api" | "exec";
  /** With `via: api` it imports; with either, it tells where each file landed. */
  api?: PhotoPrismApi;
  runner?: CommandRunner;
  /** Wait before the second look at leftovers (default 5 s). */
  settleMs?: number;
  sleep?: (ms: number) => Promise<void>;
  queue: CommandQueue;
  log: CommandLog;
  library: LibraryFiles;
  fs: TransferFs;
  hash: (path: string) => Promise<{ sha256: string }>;
  now: () => number;
  logger: Logger;
  /** Passes that imported nothing before what is left goes to quarantine. */
  maxAttempts?: number;
  signal?: AbortSignal;
}

const app: AppName = "photoprism";

/**
 * Has PhotoPrism import one published batch — by its REST API or `photoprism import` in its
 * container — and then checks, file by file, what really happened: exit codes and HTTP 200
 * prove nothing (PhotoPrism answers 200 while busy, and exits 0 on most failures).
 */
export class PhotoPrismImporter implements BatchImporter {
  constructor(private readonly deps: PhotoPrismImporterDeps) {}

  async importBatch(
    batchId: string,
    entries: JournalEntry[],
    attempt: number,
  ): Promise<ImportOutcome> {
    const { deps } = this;
    const log =
      deps.via === "api" ? await this.viaApi(batchId, entries) : await this.viaExec(batchId);
    let verification = await this.verify(batchId, entries, log);
    const problem = batchWideProblem(log, verification);
    if (problem) {
      // Nothing to blame on single files: keep the whole batch for the next pass.
      return { status: "retry", importedFiles: null, summary: problem, problems: [] };
    }
    if (verification.leftovers.length > 0) {
      if (verification.retryAdvised && attempt < (deps.maxAttempts ?? 3)) {
        return {
          status: "retry",
          importedFiles: null,
          summary: verification.summary,
          problems: [],
        };
      }
      // An import that lost its connection may still be moving files: only a batch folder
      // that stays the same is settled enough to quarantine from.
      await (deps.sleep ?? sleep)(deps.settleMs ?? 5_000);
      const again = await this.verify(batchId, entries, log);
      if (!sameLeftovers(verification, again)) {
        return {
          status: "retry",
          importedFiles: null,
          summary: `PhotoPrism is still working on batch ${batchId}; it is checked again next pass`,
          problems: [],
        };
      }
      verification = again;
    }
    recordLearntOriginals(verification, deps.library, deps.now());
    const settled = await quarantineLeftovers(verification, deps.photoprism.importDir, {
      fs: deps.fs,
      hash: deps.hash,
    });
    // Quarantined content is not in the library: sent again later, it must not be a "duplicate".
    const batchDir = publishedBatchDir(deps.photoprism.importDir, batchId);
    for (const leftover of settled.quarantined)
      deps.library.remove("ferried", containedPath(batchDir, leftover.relative));
    const problems = verification.leftovers.map(
      (l) => `${l.relative} was not imported by PhotoPrism (${l.reason}); it is in quarantine`,
    );
    if (verification.lookupError)
      problems.push(`PhotoPrism's index could not be asked: ${verification.lookupError}`);
    for (const path of settled.vanished)
      problems.push(`${path} vanished from the batch folder while photoferry looked at it`);
    const imported = verification.verdicts.filter(
      (v) => v.outcome === "imported" || v.outcome === "imported-unverified",
    );
    // One landing place unknown means Nextcloud has to look at the whole library.
    const known = imported.every((v) => v.originalsPath !== null);
    return {
      status: "imported",
      importedFiles: known ? imported.map((v) => v.originalsPath!) : null,
      summary: verification.summary,
      problems,
      quarantined: settled.quarantined.length,
    };
  }

  private verify(batchId: string, entries: JournalEntry[], log: ImportLog | undefined) {
    const { deps } = this;
    return verifyImport(
      { importDir: deps.photoprism.importDir, batchId, entries, ...(log ? { log } : {}) },
      {
        fs: deps.fs,
        listFiles: listBatchFiles,
        ...(deps.api ? { findBySha1: (sha1: string) => deps.api!.fileBySha1(sha1) } : {}),
      },
    );
  }

  private recordedDeps(): RecordedRunDeps {
    const { deps } = this;
    return {
      runner: deps.runner!,
      queue: deps.queue,
      log: deps.log,
      now: deps.now,
      timeoutMs: deps.photoprism.timeoutMinutes * 60_000,
      ...(deps.signal ? { signal: deps.signal } : {}),
    };
  }

  private async viaExec(batchId: string): Promise<ImportLog> {
    const { photoprism } = this.deps;
    return runRecorded(
      { ...this.recordedDeps(), retryTransient: false },
      app,
      "import",
      batchId,
      importCommand(photoprism.exec, photoprism.containerImportDir, batchId),
      (result) => {
        const parsed = readExecImport(result);
        const busy = parsed.problems.find((p) => p.transient && p.kind === "busy");
        return busy
          ? { parsed, ok: false, retry: busy.message }
          : { parsed, ok: parsed.problems.length === 0 };
      },
    );
  }

  /**
   * One request per user folder when each user gets an album (the API adds every file of a
   * request to the same albums); otherwise one for the whole batch.
   */
  private async viaApi(batchId: string, entries: JournalEntry[]): Promise<undefined> {
    const { deps } = this;
    const api = deps.api!;
    const requests: { path: string; albums: string[] }[] = [];
    if (deps.photoprism.albumPerUser) {
      const folders = new Set(
        entries.filter((e) => e.action === "transfer").map((e) => e.stagedRelative.split("/")[0]!),
      );
      for (const folder of folders) {
        // PhotoPrism cleans the request's path (dots dropped by older versions, ` ~./`
        // trimmed at the ends): such folders go with the whole-batch request below.
        if (survivesPhotoPrismPathCleaning(folder))
          requests.push({ path: posix.join(batchId, folder), albums: [userOf(entries, folder)] });
      }
    }
    // Whatever a per-user request could not take (or everything, without albums).
    const skipped =
      requests.length < new Set(entries.map((e) => e.stagedRelative.split("/")[0])).size;
    if (!deps.photoprism.albumPerUser || skipped) requests.push({ path: batchId, albums: [] });
    const timeoutMs = deps.photoprism.timeoutMinutes * 60_000;
    for (const request of requests) {
      const body = { path: request.path, move: true as const, albums: request.albums };
      await deps.queue.run(
        app,
        `import ${request.path} (PhotoPrism API)`,
        async (attempt) => {
          const startedAt = deps.now();
          const record = (ok: boolean, error: string | null, parsed: unknown, timedOut = false) =>
            deps.log.record({
              app,
              step: "import",
              batchId,
              target: deps.photoprism.api.url ?? "PhotoPrism API",
              argv: ["POST", "/api/v1/import/", JSON.stringify(body)],
              attempt,
              exitCode: null,
              timedOut,
              ok,
              durationMs: deps.now() - startedAt,
              parsed,
              error,
              outputTail: "",
              startedAt,
            });
          try {
            const answer = await api.importFolder(request.path, body, timeoutMs);
            // 200 proves nothing (PhotoPrism answers it while busy): the folder is checked next.
            record(true, null, answer);
            return { value: answer };
          } catch (error) {
            const timedOut = error instanceof PhotoPrismApiError && error.kind === "timeout";
            record(false, describeError(error), null, timedOut);
            throw error;
          }
        },
        deps.signal,
        // A lost connection does not stop PhotoPrism's import: never start a second one.
        { retryTransient: false },
      );
    }
    return undefined;
  }
}

/** PhotoPrism's `clean.UserPath` trims ` ~./` at the ends; releases of 2022–23 drop dots. */
export function survivesPhotoPrismPathCleaning(folder: string): boolean {
  return /^[^\s~./]([^.]*[^\s~./])?$/.test(folder);
}

/** The user id behind a batch's top-level folder (the folder may carry a safety prefix). */
function userOf(entries: readonly JournalEntry[], folder: string): string {
  return entries.find((e) => e.stagedRelative.split("/")[0] === folder)?.userId ?? folder;
}

const batchWideKinds = new Set([
  "busy",
  "read-only",
  "import-path-is-originals",
  "folder-not-found",
  "database",
  "folder-not-created",
  "move-failed",
  "concurrent-import",
]);

/**
 * A reason that concerns the whole batch rather than single files: PhotoPrism refused or
 * could not work at all (read-only, busy, originals not writable, wrong import folder), or
 * nothing left the batch folder. Such a batch is never quarantined; the next pass retries.
 */
function batchWideProblem(
  log: ImportLog | undefined,
  verification: Awaited<ReturnType<typeof verifyImport>>,
): string | null {
  const problem = log?.problems.find((p) => batchWideKinds.has(p.kind));
  if (problem)
    return `PhotoPrism did not import batch ${verification.batchId}: ${problem.message} — ${problem.hint}`;
  const tracked = verification.verdicts.length;
  const left = verification.verdicts.filter((v) => v.outcome === "left-behind").length;
  if (tracked > 0 && left === tracked) {
    return (
      `PhotoPrism took none of the ${tracked} file(s) of batch ${verification.batchId} ` +
      "(busy, or it cannot see or write the folders?); the import is tried again next pass"
    );
  }
  return null;
}

function sameLeftovers(
  a: Awaited<ReturnType<typeof verifyImport>>,
  b: Awaited<ReturnType<typeof verifyImport>>,
): boolean {
  const names = (v: typeof a) =>
    v.leftovers
      .map((l) => l.relative)
      .sort()
      .join("\n");
  return names(a) === names(b);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
