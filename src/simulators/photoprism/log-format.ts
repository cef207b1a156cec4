/**
 * PhotoPrism's log output without a TTY: logrus' TextFormatter with FullTimestamp, one line per
 * entry, `time="…" level=info msg="…"` (reference/photoprism.md §1.2), file names passed
 * through `clean.Log`, durations printed as Go's time.Duration.
 */
export type LogLevel = "trace" | "debug" | "info" | "warning" | "error";

const LEVEL_RANK: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warning: 3, error: 4 };

export function levelEnabled(level: LogLevel, threshold: LogLevel): boolean {
  return LEVEL_RANK[level] >= LEVEL_RANK[threshold];
}

/** PHOTOPRISM_LOG_LEVEL → a level; logrus accepts "warn" for "warning". Unknown → info. */
export function parseLogLevel(text: string | undefined): LogLevel {
  switch ((text ?? "").trim().toLowerCase()) {
    case "trace":
      return "trace";
    case "debug":
      return "debug";
    case "warn":
    case "warning":
      return "warning";
    case "error":
    case "fatal":
    case "panic":
      return "error";
    default:
      return "info";
  }
}

/** One logrus text line (without the newline). Time is UTC, as in a container with TZ unset. */
export function formatLogLine(level: LogLevel, msg: string, at: Date): string {
  const time = at.toISOString().replace(/\.\d{3}Z$/, "Z");
  return `time=${quoteIfNeeded(time)} level=${level} msg=${quoteIfNeeded(msg)}`;
}

/** logrus quotes a value unless it only holds `[A-Za-z0-9-._/@^+]`; then Go's %q. */
function quoteIfNeeded(value: string): string {
  if (value !== "" && /^[A-Za-z0-9\-._/@^+]+$/.test(value)) return value;
  return JSON.stringify(value).replace(/\\u00([0-9a-f]{2})/g, "\\x$1");
}

const LOG_LENGTH = 512;

/**
 * `clean.Log`: empty → `''`; control characters dropped; `` ` `` → `'`; `\ $ < > { }` → `?`;
 * quoted in single quotes when it contains a space; overly long names shortened with "…".
 */
export function cleanLog(s: string): string {
  if (s === "") return "''";
  const chars = [...s];
  let text = chars.length > LOG_LENGTH ? `${chars.slice(0, LOG_LENGTH - 1).join("")}…` : s;
  let spaces = false;
  text = [...text]
    .map((ch) => {
      const code = ch.codePointAt(0) ?? 0;
      if (code < 32 || code === 127) return "";
      if (ch === " ") spaces = true;
      if (ch === "`") return "'";
      if ("\\$<>{}".includes(ch)) return "?";
      return ch;
    })
    .join("");
  return spaces ? `'${text}'` : text;
}

/** Go's `time.Duration.String()` for a duration in nanoseconds. */
export function goDuration(nanoseconds: bigint | number): string {
  const ns = typeof nanoseconds === "bigint" ? nanoseconds : BigInt(Math.round(nanoseconds));
  if (ns === 0n) return "0s";
  const sign = ns < 0n ? "-" : "";
  const abs = ns < 0n ? -ns : ns;
  const fraction = (value: bigint, unit: bigint): string => {
    const whole = value / unit;
    const rest = (value % unit).toString().padStart(unit.toString().length - 1, "0");
    const trimmed = rest.replace(/0+$/, "");
    return trimmed === "" ? `${whole}` : `${whole}.${trimmed}`;
  };
  if (abs < 1000n) return `${sign}${abs}ns`;
  if (abs < 1_000_000n) return `${sign}${fraction(abs, 1000n)}µs`;
  if (abs < 1_000_000_000n) return `${sign}${fraction(abs, 1_000_000n)}ms`;
  const hours = abs / 3_600_000_000_000n;
  const minutes = (abs / 60_000_000_000n) % 60n;
  const seconds = fraction(abs % 60_000_000_000n, 1_000_000_000n);
  if (hours > 0n) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0n) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}

/** Where log lines go; the CLI writes them to stderr, the test server can collect them. */
export interface SimLogger {
  log(level: LogLevel, msg: string): void;
}

export function streamLogger(
  write: (line: string) => void,
  threshold: LogLevel,
  clock: () => Date = () => new Date(),
): SimLogger {
  return {
    log(level, msg) {
      if (levelEnabled(level, threshold)) write(`${formatLogLine(level, msg, clock())}\n`);
    },
  };
}
