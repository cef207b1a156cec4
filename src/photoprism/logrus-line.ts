/**
 * Reads one line of logrus output, as PhotoPrism writes it to stderr: without a terminal
 * `time="…" level=info msg="import: …"`, with one `INFO[2024-05-01T10:00:00Z] import: …`
 * (possibly coloured). Anything else is not a log line.
 */
export type LogLevel = "trace" | "debug" | "info" | "warning" | "error" | "fatal" | "panic";

export interface LogLine {
  level: LogLevel;
  message: string;
}

const ttyLevels: Readonly<Record<string, LogLevel>> = {
  TRAC: "trace",
  DEBU: "debug",
  INFO: "info",
  WARN: "warning",
  ERRO: "error",
  FATA: "fatal",
  PANI: "panic",
};

const textLevels: Readonly<Record<string, LogLevel>> = {
  trace: "trace",
  debug: "debug",
  info: "info",
  warn: "warning",
  warning: "warning",
  error: "error",
  fatal: "fatal",
  panic: "panic",
};

// eslint-disable-next-line no-control-regex -- ANSI colour codes are what is being removed
const ansi = /\x1b\[[0-9;]*m/g;
const ttyLine = /^([A-Z]{4})\[[^\]]*\] ?(.*)$/;
const field = /([A-Za-z_][\w.-]*)=("(?:[^"\\]|\\.)*"|\S*)/g;

export function parseLogrusLine(raw: string): LogLine | null {
  const line = raw.replace(ansi, "").replace(/\r$/, "");
  const tty = ttyLine.exec(line);
  if (tty) {
    const level = ttyLevels[tty[1] ?? ""];
    // logrus pads the message to a column before any fields; PhotoPrism logs no fields.
    return level ? { level, message: (tty[2] ?? "").trimEnd() } : null;
  }
  if (!line.includes("level=")) return null;
  const fields = new Map<string, string>();
  for (const match of line.matchAll(field)) {
    const value = match[2] ?? "";
    fields.set(match[1] ?? "", value.startsWith('"') ? unquoteGo(value) : value);
  }
  const level = textLevels[fields.get("level") ?? ""];
  const message = fields.get("msg");
  return level && message !== undefined ? { level, message } : null;
}

const escapes: Readonly<Record<string, string>> = {
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
  '"': '"',
  "'": "'",
};

/** Undoes Go's `%q` (strconv.Quote), which logrus uses for values that need quoting. */
export function unquoteGo(quoted: string): string {
  const body = quoted.slice(1, -1);
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const char = body[i] ?? "";
    if (char !== "\\") {
      out += char;
      continue;
    }
    const next = body[i + 1] ?? "";
    const width = next === "x" ? 2 : next === "u" ? 4 : next === "U" ? 8 : 0;
    if (width > 0) {
      const hex = body.slice(i + 2, i + 2 + width);
      if (/^[0-9a-fA-F]+$/.test(hex) && hex.length === width) {
        out += String.fromCodePoint(parseInt(hex, 16));
        i += 1 + width;
        continue;
      }
    }
    out += escapes[next] ?? `\\${next}`;
    i += 1;
  }
  return out;
}
