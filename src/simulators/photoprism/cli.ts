/**
 * The `photoprism` command line as the simulator offers it: global flags, then `import`/`mv`,
 * `cp`/`copy`, `index`, `start`, `auth add`, `version`. Like the real binary (urfave/cli v1,
 * errors only logged), it exits 0 even when a command fails; only an unknown command exits 3.
 */
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { Activity } from "./activity.js";
import { addSecret, credentialsTable } from "./app-passwords.js";
import { parseFlags, UsageError, type FlagSpec } from "./cli-args.js";
import { runImport } from "./import-run.js";
import { runIndex } from "./index-run.js";
import { goDuration, streamLogger, type SimLogger } from "./log-format.js";
import { parseGlobal, type SimConfig } from "./sim-config.js";
import type { SimFs } from "./sim-fs.js";
import { SimStore } from "./sim-store.js";
import { createSimServer } from "./server.js";
import { cleanUserPath } from "./user-path.js";

export const SIM_VERSION = "241213-382ffa899-sim";

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly fs: SimFs;
  readonly now: () => Date;
  readonly hrtime: () => bigint;
  readonly sleep: (ms: number) => Promise<void>;
  /** `start` serves until this is aborted (SIGTERM in the real program). */
  readonly stop: AbortSignal;
}

const APP_HELP = `NAME:
   photoprism - AI-Powered Photos App (simulator)

USAGE:
   photoprism [global options] command [command options] [arguments...]

COMMANDS:
   start        Starts the Web server
   index        Indexes original media files
   import, mv   Moves media files to originals
   cp, copy     Copies media files to originals
   auth         Adds and removes client access tokens and app passwords
   version      Shows version information

GLOBAL OPTIONS:
   --originals-path PATH, -o PATH  storage PATH of your original media files [$PHOTOPRISM_ORIGINALS_PATH]
   --import-path PATH, -i PATH     base PATH from which files can be imported to originals [$PHOTOPRISM_IMPORT_PATH]
   --import-dest PATH              relative originals PATH to which the files should be imported by default [$PHOTOPRISM_IMPORT_DEST]
   --storage-path PATH, -t PATH    writable storage PATH for sidecar, cache, and database files [$PHOTOPRISM_STORAGE_PATH]
   --read-only, -r                 disable features that require write permission for the originals folder [$PHOTOPRISM_READONLY]
   --disable-raw                   disable indexing and conversion of RAW images [$PHOTOPRISM_DISABLE_RAW]
   --http-host IP, --ip IP         Web server IP address [$PHOTOPRISM_HTTP_HOST]
   --http-port PORT, --port PORT   Web server port number (default: 2342) [$PHOTOPRISM_HTTP_PORT]
   --log-level LEVEL, -l LEVEL     log message verbosity LEVEL (default: "info") [$PHOTOPRISM_LOG_LEVEL]
   --sim-delay-per-file-ms MS      simulator only: pause MS per imported file [$PHOTOPRISM_SIM_DELAY_PER_FILE_MS]
   --help, -h                      show help
   --version, -v                   print the version
`;

const COMMAND_FLAGS: Record<string, readonly FlagSpec[]> = {
  import: [{ names: ["dest", "d"], kind: "string" }],
  index: [
    { names: ["force", "f"], kind: "bool" },
    { names: ["archived", "a"], kind: "bool" },
    { names: ["cleanup", "c"], kind: "bool" },
  ],
  start: [{ names: ["detach-server", "d"], kind: "bool" }],
  "auth add": [
    { names: ["name", "n"], kind: "string" },
    { names: ["scope", "s"], kind: "string" },
    { names: ["expires", "e"], kind: "string" },
  ],
  version: [],
};

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let global;
  try {
    global = parseGlobal(argv, io.env, io.cwd);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    io.stdout(`Incorrect Usage. ${text}\n\n${APP_HELP}`);
    logTo(io, "info").log("error", text);
    return 0;
  }
  const { config, rest } = global;
  const logger = logTo(io, config.logLevel);
  if (global.version) {
    io.stdout(`photoprism version ${SIM_VERSION}\n`);
    return 0;
  }
  const [command = "", ...commandArgs] = rest;
  if (global.help || command === "" || command === "help" || command === "h") {
    io.stdout(APP_HELP);
    return 0;
  }
  const key = commandKey(command, commandArgs);
  if (key === null) {
    io.stderr(
      `No help topic for '${command === "auth" ? `auth ${commandArgs[0] ?? ""}`.trim() : command}'\n`,
    );
    return 3;
  }
  const flagArgs = key.name === "auth add" ? commandArgs.slice(1) : commandArgs;
  let parsed;
  try {
    parsed = parseFlags(flagArgs, COMMAND_FLAGS[key.name] ?? [], { reorder: true });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stdout(`Incorrect Usage: ${error.message}\n\nNAME:\n   photoprism ${command}\n`);
    logger.log("error", error.message);
    return 0;
  }
  const value = (name: string) => parsed.values.get(name);
  switch (key.name) {
    case "import":
      await importCommand(io, config, logger, key.move, value("dest"), parsed.args[0]);
      return 0;
    case "index":
      await indexCommand(io, config, logger, parsed.args[0] ?? "");
      return 0;
    case "start":
      await startCommand(io, config, logger);
      return 0;
    case "auth add":
      authAdd(io, config, logger, parsed.values, parsed.args[0]);
      return 0;
    case "version":
      io.stdout(`${SIM_VERSION}\n`);
      return 0;
  }
}

type CommandKey =
  { name: "import"; move: boolean } | { name: "index" | "start" | "auth add" | "version" };

function commandKey(command: string, args: readonly string[]): CommandKey | null {
  switch (command) {
    case "import":
    case "mv":
      return { name: "import", move: true };
    case "cp":
    case "copy":
      return { name: "import", move: false };
    case "index":
    case "start":
    case "version":
      return { name: command };
    case "auth":
      return args[0] === "add" ? { name: "auth add" } : null;
    default:
      return null;
  }
}

function logTo(io: CliIo, level: SimConfig["logLevel"]): SimLogger {
  return streamLogger(io.stderr, level, io.now);
}

async function importCommand(
  io: CliIo,
  config: SimConfig,
  logger: SimLogger,
  move: boolean,
  dest: string | boolean | undefined,
  source: string | undefined,
): Promise<void> {
  const started = io.hrtime();
  if (config.readOnly) return logger.log("error", "not available in read-only mode");
  const trimmed = (source ?? "").trim();
  const sourcePath = trimmed === "" ? config.importPath : resolve(io.cwd, trimmed);
  if (sourcePath === config.originalsPath) {
    return logger.log("error", "import path is identical with originals");
  }
  const destFolder = typeof dest === "string" ? cleanUserPath(dest) : config.importDest;
  const target = join(config.originalsPath, destFolder);
  logger.log("info", `${move ? "moving" : "copying"} media files from ${sourcePath} to ${target}`);
  await runImport(
    {
      ...runContext(io, config, logger),
      disableRaw: config.disableRaw,
      delayPerFileMs: config.delayPerFileMs,
      sleep: io.sleep,
    },
    { importPath: sourcePath, configImportPath: config.importPath, destFolder, move, albums: [] },
  );
  logger.log("info", `completed in ${goDuration(io.hrtime() - started)}`);
}

function runContext(io: CliIo, config: SimConfig, logger: SimLogger) {
  return {
    fs: io.fs,
    store: new SimStore(config.storagePath),
    logger,
    originalsPath: config.originalsPath,
    activity: new Activity(),
    now: io.now,
    hrtime: io.hrtime,
  };
}

async function indexCommand(io: CliIo, config: SimConfig, logger: SimLogger, sub: string) {
  const started = io.hrtime();
  const subPath = cleanUserPath(sub);
  logger.log("info", `indexing originals in ${join(config.originalsPath, subPath)}`);
  const summary = await runIndex(runContext(io, config, logger), subPath);
  logger.log(
    "info",
    `indexed ${summary?.found ?? 0} files in ${goDuration(io.hrtime() - started)}`,
  );
}

async function startCommand(io: CliIo, config: SimConfig, logger: SimLogger): Promise<void> {
  const server = createSimServer({
    config,
    fs: io.fs,
    logger,
    now: io.now,
    disableRaw: config.disableRaw,
    delayPerFileMs: config.delayPerFileMs,
    sleep: io.sleep,
  });
  server.listen(config.httpPort, config.httpHost);
  await once(server, "listening");
  const { address, port } = server.address() as AddressInfo;
  logger.log("info", `server: listening on ${address}:${port}`);
  if (!io.stop.aborted) await once(io.stop, "abort");
  logger.log("info", "shutting down...");
  server.closeAllConnections();
  await new Promise<void>((done) => server.close(() => done()));
}

function authAdd(
  io: CliIo,
  config: SimConfig,
  logger: SimLogger,
  values: ReadonlyMap<string, string | boolean>,
  userName: string | undefined,
): void {
  const text = (name: string, fallback: string) => {
    const v = values.get(name);
    return typeof v === "string" && v.trim() !== "" ? v.trim() : fallback;
  };
  const expires = Number(text("expires", "31536000"));
  if (!Number.isInteger(expires)) return logger.log("error", "invalid value for --expires");
  const secret = addSecret(
    new SimStore(config.storagePath),
    {
      name: text("name", "photoprism-sim"),
      scope: text("scope", "*"),
      userName: userName?.trim() || null,
      expiresSeconds: expires,
    },
    io.now(),
  );
  const what = secret.kind === "App Password" ? "APP PASSWORD" : "ACCESS TOKEN";
  io.stdout(
    `\nPLEASE COPY THE FOLLOWING RANDOMLY GENERATED ${what} AND KEEP IT IN A SAFE PLACE, AS YOU WILL NOT BE ABLE TO SEE IT AGAIN:\n`,
  );
  io.stdout(`\n${credentialsTable(secret)}\n\n`);
}
