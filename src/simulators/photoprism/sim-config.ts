/**
 * The global flags of the `photoprism` binary that the simulator honours, with their
 * PHOTOPRISM_* environment variables and the image's defaults.
 */
import { resolve } from "node:path";
import { envBool, parseFlags, type FlagSpec } from "./cli-args.js";
import { parseLogLevel, type LogLevel } from "./log-format.js";
import { cleanUserPath } from "./user-path.js";

export interface SimConfig {
  readonly originalsPath: string;
  readonly importPath: string;
  readonly storagePath: string;
  readonly importDest: string;
  readonly readOnly: boolean;
  readonly disableRaw: boolean;
  readonly httpHost: string;
  readonly httpPort: number;
  readonly logLevel: LogLevel;
  /** Simulator-only knob (--sim-delay-per-file-ms / PHOTOPRISM_SIM_DELAY_PER_FILE_MS). */
  readonly delayPerFileMs: number;
}

export const GLOBAL_FLAGS: readonly FlagSpec[] = [
  { names: ["originals-path", "o"], kind: "string" },
  { names: ["import-path", "i"], kind: "string" },
  { names: ["storage-path", "t"], kind: "string" },
  { names: ["import-dest"], kind: "string" },
  { names: ["read-only", "r"], kind: "bool" },
  { names: ["disable-raw"], kind: "bool" },
  { names: ["http-host", "ip"], kind: "string" },
  { names: ["http-port", "port"], kind: "string" },
  { names: ["log-level", "l"], kind: "string" },
  { names: ["sim-delay-per-file-ms"], kind: "string" },
  { names: ["help", "h"], kind: "bool" },
  { names: ["version", "v"], kind: "bool" },
];

export interface ParsedGlobal {
  readonly config: SimConfig;
  readonly help: boolean;
  readonly version: boolean;
  readonly rest: readonly string[];
}

/** Throws UsageError for unknown flags, Error for a bad number. */
export function parseGlobal(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): ParsedGlobal {
  const { values, args } = parseFlags(argv, GLOBAL_FLAGS, { reorder: false });
  const text = (flag: string, envName: string, fallback: string): string => {
    const v = values.get(flag);
    return typeof v === "string" ? v : (env[envName] ?? fallback);
  };
  const bool = (flag: string, envName: string): boolean => {
    const v = values.get(flag);
    return typeof v === "boolean" ? v : envBool(env[envName]);
  };
  const number = (flag: string, envName: string, fallback: string): number => {
    const raw = text(flag, envName, fallback).trim();
    const n = Number(raw);
    if (raw === "" || !Number.isInteger(n) || n < 0) {
      throw new Error(`invalid value "${raw}" for --${flag}: expected a whole number`);
    }
    return n;
  };
  const path = (flag: string, envName: string, fallback: string) =>
    resolve(cwd, text(flag, envName, fallback));
  return {
    config: {
      originalsPath: path("originals-path", "PHOTOPRISM_ORIGINALS_PATH", "/photoprism/originals"),
      importPath: path("import-path", "PHOTOPRISM_IMPORT_PATH", "/photoprism/import"),
      storagePath: path("storage-path", "PHOTOPRISM_STORAGE_PATH", "/photoprism/storage"),
      importDest: cleanUserPath(text("import-dest", "PHOTOPRISM_IMPORT_DEST", "")),
      readOnly: bool("read-only", "PHOTOPRISM_READONLY"),
      disableRaw: bool("disable-raw", "PHOTOPRISM_DISABLE_RAW"),
      httpHost: text("http-host", "PHOTOPRISM_HTTP_HOST", "0.0.0.0"),
      httpPort: number("http-port", "PHOTOPRISM_HTTP_PORT", "2342"),
      logLevel: parseLogLevel(text("log-level", "PHOTOPRISM_LOG_LEVEL", "info")),
      delayPerFileMs: number("sim-delay-per-file-ms", "PHOTOPRISM_SIM_DELAY_PER_FILE_MS", "0"),
    },
    help: values.get("help") === true,
    version: values.get("version") === true,
    rest: args,
  };
}
