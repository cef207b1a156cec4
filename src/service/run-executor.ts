import { setMaxListeners } from "node:events";
import type { Logger } from "pino";
import { ChainServices, type ChainOptions } from "../chain/build-chain.js";
import type { RunResult } from "../cli/commands/run-report.js";
import type { PhotoferryConfig } from "../config/resolve-config.js";
import type { SettleMode } from "../detect/settle.js";
import { HashPool } from "../hashing/hash-pool.js";
import type { StateStore } from "../state/state-store.js";
import { runOnce, type RunProgress } from "./run-once.js";

export interface RunRequest {
  config: PhotoferryConfig;
  mode: SettleMode;
  /** Aborted on shutdown: commands in flight are stopped, the transfer stops between files. */
  signal: AbortSignal;
  /** Aborted on pause: the pass finishes, the indexing chain stops between commands. */
  pauseSignal: AbortSignal;
  onProgress: (progress: RunProgress) => void;
}

/** Carries out one run; the orchestrator's only way to do work (tests pass fakes). */
export type RunExecutor = (request: RunRequest) => Promise<RunResult>;

/**
 * The real executor: the same sequence as `run --once`, with fresh runners and a fresh hash
 * pool per run, so an idle service holds no worker threads or connections.
 */
export function chainRunExecutor(
  store: StateStore,
  logger: Logger,
  chainOptions: Omit<ChainOptions, "signal"> = {},
): RunExecutor {
  return async ({ config, mode, signal: shutdown, pauseSignal, onProgress }) => {
    // Per-run signals that follow the service's long-lived ones: listeners on those would
    // pile up run after run (AbortSignal.any leaves one behind each time).
    const signal = follow([shutdown]);
    const stepSignal = follow([shutdown, pauseSignal]);
    const pool = new HashPool();
    const services = new ChainServices(config, store, logger, {
      ...chainOptions,
      signal: signal.signal,
    });
    try {
      return await runOnce(config, store, logger, services, pool, {
        dryRun: false,
        acceptNewImportFolder: false,
        mode,
        signal: signal.signal,
        stepSignal: stepSignal.signal,
        onProgress,
      });
    } finally {
      signal.release();
      stepSignal.release();
      await services.close();
      await pool.stop();
    }
  };
}

/** A signal aborted when any of `sources` is, detached from them again by `release()`. */
function follow(sources: AbortSignal[]): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  // Every file being hashed listens to the run's signal at the same time.
  setMaxListeners(0, controller.signal);
  const listeners = sources.map((source) => {
    const abort = () => controller.abort(source.reason);
    if (source.aborted) abort();
    else source.addEventListener("abort", abort, { once: true });
    return () => source.removeEventListener("abort", abort);
  });
  return { signal: controller.signal, release: () => listeners.forEach((off) => off()) };
}
