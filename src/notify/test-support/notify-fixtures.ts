import { Writable } from "node:stream";
import type { Logger } from "pino";
import { loadConfigText } from "../../config/load-config.js";
import type { PhotoferryConfig } from "../../config/resolve-config.js";
import { createLogger } from "../../logging/logger.js";
import type { RunSummary, ServiceEvent } from "../../service/service-contract.js";

/** The defaults of an empty config file with `notify` replaced. */
export function configWithNotify(notify: Partial<PhotoferryConfig["notify"]>): PhotoferryConfig {
  const { config } = loadConfigText("{}\n", { env: {} });
  if (!config) throw new Error("the empty config should be valid");
  return { ...config, notify: { ...config.notify, ...notify } };
}

/** A debug logger whose JSON lines the test can read. */
export function memoryLogger(): { logger: Logger; lines: () => string[]; text: () => string } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString("utf8"));
      done();
    },
  });
  const logger = createLogger({ level: "debug", env: {}, destination });
  const text = () => chunks.join("");
  return { logger, text, lines: () => text().split("\n").filter(Boolean) };
}

/** Stands in for the service's `subscribe`. */
export class FakeEvents {
  readonly listeners = new Set<(event: ServiceEvent) => void>();
  subscribe = (listener: (event: ServiceEvent) => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  emit(event: ServiceEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

export function finishedRun(id: number, overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    id,
    trigger: "scheduled",
    reason: "schedule",
    startedAt: "2025-06-01T12:00:00.000Z",
    finishedAt: "2025-06-01T12:01:00.000Z",
    outcome: "ok",
    counts: { seen: 0, moved: 0, duplicates: 0, skipped: 0, failed: 0, bytes: 0 },
    steps: [],
    errors: [],
    ...overrides,
  };
}
