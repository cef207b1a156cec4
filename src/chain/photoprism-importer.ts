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
import type { CommandRunner } from "../runners/runner.js";
import type { TransferFs } from "../transfer/transfer-fs.js";
import type { BatchImporter, ImportOutcome } from "./indexing-chain.js";
import { runRecorded, type RecordedRunDeps } from "./run-recorded.js";
import type { AppName, CommandLog } from "../ledger/command-log.js";
import type { CommandQueue } from "./command-queue.js";

export interface PhotoPrismImporterDeps {
  photoprism: PhotoferryConfig["photoprism"];
  /** `trigger: api`. */
  api?: PhotoPrismApi;
  /** `trigger: exec`. */
  runner?: CommandRunner;
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
    const log = deps.api ? await this.viaApi(batchId, entries) : await this.viaExec(batchId);
    const verification = await verifyImport(
      {
        importDir: deps.photoprism.importDir,
        batchId,
        entries,
        ...(log ? { log } : {}),
      },
      {
        fs: deps.fs,
        listFiles: listBatchFiles,
        ...(deps.api ? { findBySha1: (sha1: string) => deps.api!.fileBySha1(sha1) } : {}),
      },
    );
    if (verification.retryAdvised && attempt < (deps.maxAttempts ?? 3)) {
      return { status: "retry", importedFiles: null, summary: verification.summary, problems: [] };
    }
    recordLearntOriginals(verification, deps.library, deps.now());
    const settled = await quarantineLeftovers(verification, deps.photoprism.importDir, {
      fs: deps.fs,
      hash: deps.hash,
    });
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
    };
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
      this.recordedDeps(),
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
    const folders = deps.photoprism.albumPerUser
      ? [
          ...new Set(
            entries
              .filter((e) => e.action === "transfer")
              .map((e) => e.stagedRelative.split("/")[0]!),
          ),
        ].map((folder) => ({
          path: posix.join(batchId, folder),
          albums: [userOf(entries, folder)],
        }))
      : [{ path: batchId, albums: [] as string[] }];
    const timeoutMs = deps.photoprism.timeoutMinutes * 60_000;
    for (const folder of folders) {
      const body = { path: folder.path, move: true as const, albums: folder.albums };
      await deps.queue.run(
        app,
        `import ${folder.path} (PhotoPrism API)`,
        async (attempt) => {
          const startedAt = deps.now();
          const record = (ok: boolean, error: string | null, parsed: unknown) =>
            deps.log.record({
              app,
              step: "import",
              batchId,
              target: deps.photoprism.api.url ?? "PhotoPrism API",
              argv: ["POST", "/api/v1/import/", JSON.stringify(body)],
              attempt,
              exitCode: null,
              timedOut: false,
              ok,
              durationMs: deps.now() - startedAt,
              parsed,
              error,
              outputTail: "",
              startedAt,
            });
          try {
            const answer = await api.importFolder(folder.path, body, timeoutMs);
            record(true, null, answer);
            return { value: answer };
          } catch (error) {
            record(false, (error as Error).message, null);
            throw error;
          }
        },
        deps.signal,
      );
    }
    return undefined;
  }
}

/** The user id behind a batch's top-level folder (the folder may carry a safety prefix). */
function userOf(entries: readonly JournalEntry[], folder: string): string {
  return entries.find((e) => e.stagedRelative.split("/")[0] === folder)?.userId ?? folder;
}
