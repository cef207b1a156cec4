import { PassThrough } from "node:stream";
import { ChainServices, type ChainOptions } from "../../chain/build-chain.js";
import { runIndexingChain, type ChainDeps, type ChainReport } from "../../chain/indexing-chain.js";
import type { PhotoferryConfig } from "../../config/resolve-config.js";
import { runFerryPass, type PassReport } from "../../engine/ferry-pass.js";
import { HashPool } from "../../hashing/hash-pool.js";
import type { CommandRecord } from "../../ledger/command-log.js";
import { createLogger } from "../../logging/logger.js";
import { StateStore } from "../../state/state-store.js";

export interface DrivenRun {
  pass: PassReport;
  chain: ChainReport;
  commands: CommandRecord[];
  /** The log lines photoferry wrote (JSON), for failure messages. */
  log: string;
}

/**
 * One pass and the indexing chain, like `run --once` minus its occ pre-check, but with the
 * chain's options (a fast retry policy: `run --once` waits 2–16 s between five attempts) and
 * optionally some of the chain's parts replaced (`customise`, e.g. an importer with a short
 * time limit — the config only takes whole minutes).
 */
export async function passAndChain(
  config: PhotoferryConfig,
  options: ChainOptions,
  customise: (
    deps: ChainDeps,
    parts: { services: ChainServices; store: StateStore },
  ) => ChainDeps = (deps) => deps,
): Promise<DrivenRun> {
  let log = "";
  const destination = new PassThrough();
  destination.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const logger = createLogger({ level: "info", env: {}, destination });
  const store = StateStore.open(config.state.dir);
  const pool = new HashPool();
  const services = new ChainServices(config, store, logger, options);
  const startedAt = Date.now();
  try {
    const pass = await runFerryPass(
      { config, store, logger, hasher: (path, { sha1 }) => pool.hash(path, { sha1 }) },
      { mode: "one-shot", dryRun: false },
    );
    const chain = await runIndexingChain(customise(services.chainDeps(), { services, store }));
    return { pass, chain, commands: services.commandLog.since(startedAt), log };
  } finally {
    await services.close();
    await pool.stop();
    store.close();
  }
}
