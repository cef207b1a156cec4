import type { Logger } from "pino";
import type { ServiceEvent } from "./service-contract.js";

type ProgressEvent = Extract<ServiceEvent, { type: "progress" }>;

/**
 * Fans service events out to subscribers (SSE clients, notifications). Progress comes once
 * per file, so it is thinned to one event per `intervalMs`, always keeping the latest; step
 * changes go out at once. A failing listener is logged and never stops the others.
 */
export class ServiceEvents {
  private readonly listeners = new Set<(event: ServiceEvent) => void>();
  private lastProgressAt = 0;
  private trailing: { event: ProgressEvent; timer: NodeJS.Timeout } | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = 250,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.listeners.size;
  }

  subscribe(listener: (event: ServiceEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: ServiceEvent): void {
    if (event.type === "run-finished") this.cancelTrailing();
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        // Not through the logger at "error": a log listener that throws would loop.
        this.logger.debug({ err: error }, "an event listener failed");
      }
    }
  }

  progress(event: ProgressEvent, immediate: boolean): void {
    if (this.listeners.size === 0) return;
    const now = this.now();
    if (immediate || now - this.lastProgressAt >= this.intervalMs) {
      this.cancelTrailing();
      this.lastProgressAt = now;
      this.emit(event);
      return;
    }
    if (this.trailing) {
      this.trailing.event = event;
      return;
    }
    const timer = setTimeout(
      () => {
        const latest = this.trailing?.event;
        this.trailing = undefined;
        this.lastProgressAt = this.now();
        if (latest) this.emit(latest);
      },
      this.intervalMs - (now - this.lastProgressAt),
    );
    this.trailing = { event, timer };
  }

  private cancelTrailing(): void {
    clearTimeout(this.trailing?.timer);
    this.trailing = undefined;
  }
}
