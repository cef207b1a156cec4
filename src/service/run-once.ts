import type { Logger } from "pino";
import type { ChainServices } from "../chain/build-chain.js";
import { runIndexingChain, type ChainProgress } from "../chain/indexing-chain.js";
import type { OccIndexer } from "../chain/occ-indexer.js";
import type { RunResult } from "../cli/commands/run-report.js";
import type { PhotoferryConfig } from "../config/resolve-config.js";
import type { SettleMode } from "../detect/settle.js";
import { runFerryPass, type PassProgress } from "../engine/ferry-pass.js";
import type { HashPool } from "../hashing/hash-pool.js";
import { describeError } from "../chain/describe-error.js";
import type { StateStore } from "../state/state-store.js";

export type RunProgress = PassProgress | ChainProgress;

export interface RunOnceOptions {
  dryRun: boolean;
  acceptNewImportFolder: boolean;
  /** `one-shot` (run --once) counts an old mtime as settled; the service watches for itself. */
  mode?: SettleMode;
  /** Stops between steps (and between files of a transfer); everything done stays recorded. */
  signal?: AbortSignal;
  /**
   * Stops between steps only: the pass finishes, the indexing chain stops between commands
   * (pausing). Defaults to `signal`.
   */
  stepSignal?: AbortSignal;
  onProgress?: (progress: RunProgress) => void;
}

/**
 * One run, as `run --once` and the service both do it. Nextcloud first: moving files out of
 * users' folders while occ cannot rescan them would leave ghosts in their view, so nothing
 * moves until occ answers and is out of maintenance. Then the pass, then the indexing chain
 * for every batch that still needs it.
 */
export async function runOnce(
  config: PhotoferryConfig,
  store: StateStore,
  logger: Logger,
  services: ChainServices,
  pool: HashPool,
  options: RunOnceOptions,
): Promise<RunResult> {
  const { signal, onProgress } = options;
  const stepSignal = options.stepSignal ?? signal;
  if (services.nextcloud && !options.dryRun) {
    const blocked = await nextcloudBlocks(services.nextcloud);
    if (blocked) return { pass: null, indexing: null, commands: [], blocked };
  }
  const pass = await runFerryPass(
    {
      config,
      store,
      logger,
      hasher: (path, { sha1 }) => pool.hash(path, { sha1, ...(signal ? { signal } : {}) }),
      ...(services.lookup ? { photoprism: services.lookup } : {}),
      ...(onProgress ? { onProgress } : {}),
      ...(signal ? { signal } : {}),
    },
    {
      mode: options.mode ?? "one-shot",
      dryRun: options.dryRun,
      acceptNewImportFolder: options.acceptNewImportFolder,
    },
  );
  if (options.dryRun || stepSignal?.aborted)
    return { pass, indexing: null, commands: [], blocked: null };
  const indexing = await runIndexingChain({
    ...services.chainDeps(),
    nextcloudChecked: services.nextcloud !== undefined,
    ...(onProgress ? { onProgress } : {}),
    ...(stepSignal ? { signal: stepSignal } : {}),
  });
  return { pass, indexing, commands: [], blocked: null };
}

async function nextcloudBlocks(nextcloud: OccIndexer): Promise<string | null> {
  try {
    const check = await nextcloud.check();
    return check.ok ? null : `Nothing was moved: ${check.problem} — ${check.hint}`;
  } catch (error) {
    return `Nothing was moved: occ could not be run: ${describeError(error)}`;
  }
}
