import type { DestinationStream } from "pino";

export type EventLevel = "debug" | "info" | "warn" | "error";

const levels: Record<string, EventLevel> = {
  trace: "debug",
  debug: "debug",
  info: "info",
  warn: "warn",
  error: "error",
  fatal: "error",
};

/**
 * A pino destination that writes every line on and hands its level and message to `onLine`
 * (the service's `log` events). Lines are already scrubbed of secrets by the logger's hook.
 */
export class LogTee implements DestinationStream {
  onLine: ((level: EventLevel, message: string) => void) | undefined;

  constructor(private readonly destination: NodeJS.WritableStream) {}

  write(line: string): void {
    this.destination.write(line);
    if (!this.onLine) return;
    let parsed: { level?: unknown; msg?: unknown };
    try {
      parsed = JSON.parse(line) as { level?: unknown; msg?: unknown };
    } catch {
      return; // not one of pino's lines
    }
    const level = typeof parsed.level === "string" ? levels[parsed.level] : undefined;
    if (level && typeof parsed.msg === "string") this.onLine(level, parsed.msg);
  }
}
