import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { SessionStore } from "../api/access/session-store.js";
import { ApiTokenStore } from "../api/access/token-store.js";
import { AuditLog } from "../audit/audit-log.js";
import { ConfigFile } from "../config/config-file.js";
import { ConfigService } from "../config/config-service.js";
import type { PhotoferryConfig } from "../config/resolve-config.js";
import type { CheckResult } from "../doctor/check-result.js";
import { checkOcc } from "../doctor/occ-doctor.js";
import { checkPhotoPrism } from "../doctor/photoprism-doctor.js";
import { DOCTOR_TIMEOUT_MS } from "../doctor/run-doctor.js";
import { createLogger } from "../logging/logger.js";
import { SecretRegistry } from "../logging/secret-registry.js";
import { createRunner, occTarget, photoprismExecTarget } from "../runners/create-runner.js";
import { lockStateDirWhenFree } from "../state/state-lock.js";
import { StateStore } from "../state/state-store.js";
import { version } from "../version.js";
import { buildApiServer, type ApiDeps } from "../api/server.js";
import { LogTee } from "./log-tee.js";
import { Notifier } from "../notify/notifier.js";
import { Orchestrator } from "./orchestrator.js";
import { chainRunExecutor } from "./run-executor.js";
import type { PhotoferryService } from "./service-contract.js";

export interface ServeOptions {
  configPath: string;
  env: NodeJS.ProcessEnv;
  /** Overrides `web.port`; 0 picks a free port. */
  port?: number;
  host?: string;
  /** Where the JSON log lines go; default stderr. */
  logDestination?: NodeJS.WritableStream;
}

export interface RunningServe {
  url: string;
  service: PhotoferryService;
  stop(): Promise<void>;
}

/**
 * `photoferry serve`: the config (live), the state database (with the one-process lock), the
 * orchestrator, notifications and the HTTP server. Returns once it listens; `stop()` stops
 * the current run between files or commands and closes everything in reverse order.
 */
export async function startServe(options: ServeOptions): Promise<RunningServe> {
  const secrets = new SecretRegistry();
  const tee = new LogTee(options.logDestination ?? process.stderr);
  let logger = createLogger({ env: options.env, destination: tee, secrets });
  const config = new ConfigService({
    file: new ConfigFile(options.configPath),
    logger,
    env: options.env,
    onSecret: (value) => secrets.add(value),
  });
  const first = (await config.start()).config;
  logger = createLogger({
    configLevel: first.log.level,
    env: options.env,
    destination: tee,
    secrets,
  });
  const closers: (() => Promise<void> | void)[] = [() => config.stop()];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close();
  };
  try {
    const unlock = await lockStateDirWhenFree(first.state.dir, {
      onLost: (holder) => {
        logger.error(
          { holder },
          `another photoferry (${holder}) took over the state folder's lock; stopping so ` +
            "that only one works with it",
        );
        process.kill(process.pid, "SIGTERM");
      },
      onWait: (error) =>
        logger.warn(
          { holder: error.holder },
          `the state folder is locked by ${error.holder}; waiting until its heartbeat stops ` +
            "(a container that was killed leaves its lock behind for up to a minute)",
        ),
    });
    closers.push(unlock);
    const store = StateStore.open(first.state.dir);
    closers.push(() => store.close());
    const audit = new AuditLog(store, { logger });
    const orchestrator = new Orchestrator({
      audit,
      config: () => config.current.config,
      onConfigChange: (listener) => config.onChange((change) => listener(change.current)),
      store,
      logger,
      version,
      execute: chainRunExecutor(store, logger),
    });
    tee.onLine = (level, message) => orchestrator.log(level, message);
    await orchestrator.start();
    closers.push(() => orchestrator.stop());
    const notifier = new Notifier({ config: () => config.current.config, logger });
    notifier.start(orchestrator);
    closers.push(() => notifier.stop());
    const app = await buildApiServer({
      ...apiDeps(orchestrator, config, notifier, logger),
      audit,
      sessions: new SessionStore(store),
      tokens: new ApiTokenStore(store.connection),
    });
    closers.push(() => app.close());
    const host = options.host ?? first.web.host;
    await app.listen({ port: options.port ?? first.web.port, host });
    const url = urlOf(host, app.server.address());
    logger.info({ url }, "photoferry is serving");
    let stopping: Promise<void> | undefined;
    return {
      url,
      service: orchestrator,
      // The run is told to stop first: closing the API waits for open requests and the
      // notifier for its last sends, which must not eat the time the run has to stop.
      stop: () =>
        (stopping ??= orchestrator
          .stop()
          .then(closeAll)
          .finally(() => (tee.onLine = undefined))),
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** Where a client on this machine reaches the server (a wildcard address is not dialable). */
function urlOf(host: string, address: string | AddressInfo | null): string {
  const port = typeof address === "object" && address ? address.port : 0;
  const dialable = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "::1" : host;
  return `http://${dialable.includes(":") ? `[${dialable}]` : dialable}:${port}`;
}

function apiDeps(
  service: Orchestrator,
  config: ConfigService,
  notifier: Pick<Notifier, "test">,
  logger: Logger,
): Omit<ApiDeps, "audit" | "sessions" | "tokens"> {
  const current = (): PhotoferryConfig => config.current.config;
  return {
    service,
    config,
    notifier,
    logger,
    version,
    checks: {
      nextcloud: (): Promise<CheckResult[]> => {
        const cfg = current();
        const users = service.users().filter((user) => user.included);
        return checkOcc(
          cfg,
          users.map((user) => user.id),
          { makeRunner: () => createRunner(cfg, occTarget(cfg)), timeoutMs: DOCTOR_TIMEOUT_MS },
        );
      },
      photoprism: (): Promise<CheckResult[]> => {
        const cfg = current();
        return checkPhotoPrism(cfg, {
          makeRunner: () => createRunner(cfg, photoprismExecTarget(cfg)),
          timeoutMs: DOCTOR_TIMEOUT_MS,
        });
      },
    },
  };
}
