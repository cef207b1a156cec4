import type { Logger } from "pino";
import type { PhotoferryConfig } from "../config/resolve-config.js";
import type { PhotoPrismLookup } from "../engine/library-lookup.js";
import { hashFile } from "../hashing/hash-file.js";
import { BatchIndexing } from "../ledger/batch-indexing.js";
import { CommandLog } from "../ledger/command-log.js";
import { Journal } from "../ledger/journal.js";
import { LibraryFiles } from "../ledger/library-files.js";
import { listBatchFiles } from "../photoprism/batch-listing.js";
import { PhotoPrismApi, PhotoPrismSha1Lookup } from "../photoprism/photoprism-api.js";
import { publishedBatchDir } from "../transfer/transfer-paths.js";
import { createRunner, occTarget, photoprismExecTarget } from "../runners/create-runner.js";
import type { CommandRunner } from "../runners/runner.js";
import type { StateStore } from "../state/state-store.js";
import { nodeTransferFs } from "../transfer/transfer-fs.js";
import { CommandQueue, defaultRetryPolicy, type RetryPolicy } from "./command-queue.js";
import type { ChainDeps } from "./indexing-chain.js";
import { OccIndexer } from "./occ-indexer.js";
import { PhotoPrismImporter } from "./photoprism-importer.js";
import { scanPlanFor } from "./scan-plan.js";

export interface ChainOptions {
  retry?: RetryPolicy;
  /** How long leftovers must stay unchanged before they are quarantined (default 5 s). */
  importSettleMs?: number;
  signal?: AbortSignal;
  now?: () => number;
}

/**
 * Everything the indexing chain talks to, built from the config: runners for occ and
 * PhotoPrism, the PhotoPrism API client, one command queue for both. Runners connect lazily,
 * so building this never fails because Docker or SSH is down.
 */
export class ChainServices {
  readonly queue: CommandQueue;
  readonly commandLog: CommandLog;
  readonly nextcloud: OccIndexer | undefined;
  readonly importer: PhotoPrismImporter | undefined;
  /** For the planner's duplicate check (`dedupe.photoprismLookup`). */
  readonly lookup: PhotoPrismLookup | undefined;
  private readonly runners: CommandRunner[] = [];

  constructor(
    private readonly config: PhotoferryConfig,
    private readonly store: StateStore,
    private readonly logger: Logger,
    private readonly options: ChainOptions = {},
  ) {
    const now = options.now ?? Date.now;
    this.queue = new CommandQueue({ retry: options.retry ?? defaultRetryPolicy, logger });
    this.commandLog = new CommandLog(store.connection);
    const signal = options.signal ? { signal: options.signal } : {};
    const notice = (message: string) => logger.warn(message);
    const { nextcloud, photoprism } = config;
    if (nextcloud.occ.enabled) {
      const runner = this.keep(createRunner(config, occTarget(config), notice));
      this.nextcloud = new OccIndexer(nextcloud.occ, {
        runner,
        queue: this.queue,
        log: this.commandLog,
        now,
        timeoutMs: nextcloud.occ.timeoutMinutes * 60_000,
        ...signal,
      });
    }
    const api =
      photoprism.api.url && photoprism.api.token
        ? new PhotoPrismApi({ url: photoprism.api.url, token: photoprism.api.token })
        : undefined;
    if (api && config.dedupe.photoprismLookup) this.lookup = new PhotoPrismSha1Lookup(api);
    if (photoprism.trigger !== "none") {
      const common = {
        photoprism,
        queue: this.queue,
        log: this.commandLog,
        library: new LibraryFiles(store.connection),
        fs: nodeTransferFs,
        hash: (path: string) => hashFile(path),
        now,
        logger,
        ...signal,
        ...(options.importSettleMs !== undefined ? { settleMs: options.importSettleMs } : {}),
      };
      // The API, when configured, also tells where `photoprism import` put each file.
      const withApi = api ? { api } : {};
      this.importer =
        photoprism.trigger === "api"
          ? new PhotoPrismImporter({ ...common, ...withApi, via: "api" })
          : new PhotoPrismImporter({
              ...common,
              ...withApi,
              via: "exec",
              runner: this.keep(createRunner(config, photoprismExecTarget(config), notice)),
            });
    }
  }

  chainDeps(): ChainDeps {
    const db = this.store.connection;
    return {
      indexing: new BatchIndexing(db),
      journal: new Journal(db),
      importer: this.importer,
      awaitingPhotoPrism: async (batchId) =>
        ((await listBatchFiles(publishedBatchDir(this.config.photoprism.importDir, batchId))) ?? [])
          .length > 0,
      nextcloud: this.nextcloud,
      memories: this.config.nextcloud.memories.enabled,
      planScans: (batches) => {
        const plan = scanPlanFor(this.config, batches);
        for (const note of plan.notes) this.logger.info(note);
        return plan;
      },
      now: this.options.now ?? Date.now,
      logger: this.logger,
    };
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.runners.map((runner) => runner.close()));
  }

  private keep(runner: CommandRunner): CommandRunner {
    this.runners.push(runner);
    return runner;
  }
}
