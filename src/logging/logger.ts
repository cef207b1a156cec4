import { pino } from "pino";
import type { DestinationStream, Logger } from "pino";
import { REDACTED, SecretRegistry } from "./secret-registry.js";

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const LOG_LEVEL_ENV = "PHOTOFERRY_LOG_LEVEL";

/** Keys whose values are secret wherever they appear, down to `SECRET_KEY_DEPTH` levels. */
export const SECRET_KEYS = [
  "token",
  "password",
  "passwordHash",
  "key",
  "privateKey",
  "authorization",
  "cookie",
  "secret",
] as const;
const SECRET_KEY_DEPTH = 3;

export interface LoggerOptions {
  /** An explicit level (e.g. a command-line flag); wins over everything. */
  level?: LogLevel;
  /** `log.level` from the config file; `PHOTOFERRY_LOG_LEVEL` overrides it. */
  configLevel?: LogLevel;
  /** Where `PHOTOFERRY_LOG_LEVEL` is read from. Defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Defaults to stdout. */
  destination?: DestinationStream | NodeJS.WritableStream;
  /** Values scrubbed from every line, including ones registered after the logger was made. */
  secrets?: SecretRegistry;
  /** JSON lines only; pretty printing is left to whoever reads the logs. */
  pretty?: false;
}

export class InvalidLogLevelError extends Error {
  override readonly name = "InvalidLogLevelError";

  constructor(
    readonly value: string,
    readonly source: string,
  ) {
    super(
      `${source} is "${value}", which is not a log level; use one of: ${LOG_LEVELS.join(", ")}`,
    );
  }
}

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/** The explicit level, else `PHOTOFERRY_LOG_LEVEL`, else the config's level, else `info`. */
export function resolveLogLevel(
  level: string | undefined,
  env: NodeJS.ProcessEnv,
  configLevel: LogLevel = "info",
): LogLevel {
  if (level !== undefined) {
    if (!isLogLevel(level)) throw new InvalidLogLevelError(level, "The log level");
    return level;
  }
  const fromEnv = env[LOG_LEVEL_ENV]?.trim().toLowerCase();
  if (fromEnv === undefined || fromEnv === "") return configLevel;
  if (!isLogLevel(fromEnv)) throw new InvalidLogLevelError(fromEnv, LOG_LEVEL_ENV);
  return fromEnv;
}

function secretKeyPaths(): string[] {
  const paths: string[] = [];
  for (const key of SECRET_KEYS) {
    for (let depth = 0; depth < SECRET_KEY_DEPTH; depth++) {
      paths.push([...Array<string>(depth).fill("*"), key].join("."));
    }
  }
  return paths;
}

/** A JSON-lines pino logger that never writes a registered secret or a secret-named key's value. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = resolveLogLevel(options.level, options.env ?? process.env, options.configLevel);
  const secrets = options.secrets;
  return pino(
    {
      level,
      redact: { paths: secretKeyPaths(), censor: REDACTED },
      // Labels and ISO times keep `docker logs` readable without pino-pretty.
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
      // The final serialized line, so secrets inside messages, errors and stacks are caught too.
      hooks: secrets ? { streamWrite: (line) => secrets.scrubJson(line) } : {},
    },
    options.destination ?? pino.destination(1),
  );
}
