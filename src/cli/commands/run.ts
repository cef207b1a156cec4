import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ConfigFile, ConfigFileError, resolveConfigPath } from "../../config/config-file.js";
import { formatIssue } from "../../config/issues.js";
import { loadConfigText } from "../../config/load-config.js";
import type { PhotoferryConfig } from "../../config/resolve-config.js";
import { ChainServices } from "../../chain/build-chain.js";
import { HashPool } from "../../hashing/hash-pool.js";
import { createLogger } from "../../logging/logger.js";
import { SecretRegistry } from "../../logging/secret-registry.js";
import { runOnce } from "../../service/run-once.js";
import { lockStateDir } from "../../state/state-lock.js";
import { DEFAULT_DB_FILE_NAME, StateStore } from "../../state/state-store.js";
import type { CliCommand, CliIo } from "../command.js";
import { formatRunResult, runFailed, type RunResult } from "./run-report.js";

const usage = `Usage: photoferry run --once [--dry-run] [--json] [--config <file>]

Runs one complete pass: finds new photos in the Nextcloud users' source folders, skips
what is already in the library, moves the rest crash-safely into PhotoPrism's import
folder, has PhotoPrism import them, then runs Nextcloud's files:scan and Memories' index.
Exits 1 when a file or a command could not be handled.

  --once           one pass, then exit (the long-running service is \`photoferry serve\`)
  --dry-run        change nothing; print per file what would happen and why
  --json           machine-readable output
  --new-import-folder  accept an import folder other than the one used before (moved on purpose)
  --config <file>  the config file (default: $PHOTOFERRY_CONFIG or /config/photoferry.yaml)
`;

export const runCommand: CliCommand = {
  name: "run",
  summary: "Run one pass now (--once), or show what it would do (--dry-run)",
  usage,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        once: { type: "boolean" },
        "dry-run": { type: "boolean" },
        "new-import-folder": { type: "boolean" },
        json: { type: "boolean" },
        config: { type: "string", short: "c" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      io.stdout.write(usage);
      return 0;
    }
    if (!values.once) {
      io.stderr.write(
        "photoferry run: add --once (the long-running service is not available yet)\n",
      );
      return 2;
    }
    const config = loadOrExplain(resolveConfigPath(values.config, io.env), io);
    if (!config) return 1;
    return runPass(
      config.config,
      config.secrets,
      {
        dryRun: values["dry-run"] ?? false,
        json: values.json ?? false,
        acceptNewImportFolder: values["new-import-folder"] ?? false,
      },
      io,
    );
  },
};

function loadOrExplain(
  path: string,
  io: CliIo,
): { config: PhotoferryConfig; secrets: SecretRegistry } | undefined {
  try {
    const result = loadConfigText(new ConfigFile(path).read().text, { env: io.env });
    const secrets = new SecretRegistry();
    for (const value of Object.values(result.secrets.values)) secrets.add(value);
    if (result.config) return { config: result.config, secrets };
    io.stderr.write(
      `✗ ${path} is not valid — run \`photoferry check-config\` for details:\n` +
        secrets.scrub(
          result.issues
            .filter((i) => i.severity === "error")
            .map((i) => `  ${formatIssue(i)}`)
            .join("\n"),
        ) +
        "\n",
    );
  } catch (error) {
    if (!(error instanceof ConfigFileError)) throw error;
    io.stderr.write(`✗ ${error.message}\n  ${error.fix}\n`);
  }
  return undefined;
}

async function runPass(
  config: PhotoferryConfig,
  secrets: SecretRegistry,
  options: { dryRun: boolean; json: boolean; acceptNewImportFolder: boolean },
  io: CliIo,
): Promise<number> {
  const logger = createLogger({
    configLevel: config.log.level,
    env: io.env,
    destination: io.stderr,
    secrets,
  });
  const snapshot = options.dryRun ? dryRunState(config.state.dir) : undefined;
  const unlock = snapshot ? undefined : lockStateDir(config.state.dir);
  let store: StateStore;
  try {
    store = StateStore.open(snapshot?.dir ?? config.state.dir);
  } catch (error) {
    unlock?.();
    throw error;
  }
  const pool = new HashPool();
  let services: ChainServices | undefined;
  const startedAt = Date.now();
  let result: RunResult;
  try {
    services = new ChainServices(config, store, logger);
    result = await runOnce(config, store, logger, services, pool, options);
    result.commands = services.commandLog.since(startedAt);
  } finally {
    await services?.close();
    await pool.stop();
    store.close();
    unlock?.();
    snapshot?.remove();
  }
  io.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : formatRunResult(result));
  return runFailed(result) ? 1 : 0;
}

/**
 * A dry run must not change photoferry's state either: it works on a copy of the database
 * (or an empty one) in a temp folder, removed afterwards.
 */
function dryRunState(stateDir: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "photoferry-dry-run-"));
  const existing = join(stateDir, DEFAULT_DB_FILE_NAME);
  // Copied as files, not opened: opening the live database would leave -wal/-shm files behind.
  for (const suffix of ["", "-wal"]) {
    if (existsSync(existing + suffix))
      copyFileSync(existing + suffix, join(dir, DEFAULT_DB_FILE_NAME + suffix));
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
