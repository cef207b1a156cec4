import type { Logger } from "pino";
import type { PhotoferryConfig } from "../config/resolve-config.js";
import type { FetchLike } from "../photoprism/node-http-fetch.js";
import { mergeNotifications } from "./aggregate.js";
import type { Channel } from "./channel.js";
import type { SendOutcome } from "./http-post.js";
import type { Notification } from "./notification.js";
import { backoffMs } from "./retry-policy.js";

/** Schedules a callback; returns its cancel function. Fake in tests. */
export interface Timer {
  after(ms: number, callback: () => void): () => void;
}

export const realTimer: Timer = {
  after(ms, callback) {
    const handle = setTimeout(callback, ms);
    handle.unref(); // a pending notification must not keep a stopping process alive
    return () => clearTimeout(handle);
  },
};

export interface DeliveryQueueDeps {
  channel: Channel;
  config: () => PhotoferryConfig;
  logger: Logger;
  fetch: FetchLike;
  now: () => number;
  timer: Timer;
  /** Notifications arriving within this time after the first are sent as one. */
  windowMs: number;
  timeoutMs: number;
}

/** Network failures are retried this often before the message is given up (and logged). */
export const MAX_FAILED_ATTEMPTS = 5;
/** Notifications kept while a channel cannot deliver; older ones are counted, not listed. */
export const MAX_PENDING = 100;

/**
 * One channel's outbox: waits `windowMs` to merge what arrives together, sends one message,
 * and on 429 or network trouble keeps everything (merged with whatever arrives meanwhile)
 * for a later try. Nothing is dropped without a log line saying so.
 */
export class DeliveryQueue {
  readonly #deps: DeliveryQueueDeps;
  #pending: Notification[] = [];
  #omitted = 0;
  #cancelTimer: (() => void) | undefined;
  #inFlight: Promise<void> | undefined;
  #failedAttempts = 0;
  #rateLimited = 0;

  constructor(deps: DeliveryQueueDeps) {
    this.#deps = deps;
  }

  enqueue(notification: Notification): void {
    this.#pending.push(notification);
    if (this.#pending.length > MAX_PENDING) {
      this.#pending.shift();
      this.#omitted++;
    }
    if (!this.#inFlight && !this.#cancelTimer) this.#schedule(this.#deps.windowMs);
  }

  get pendingCount(): number {
    return this.#pending.length + this.#omitted;
  }

  /** Resolves when no send is under way (a later timer may still start one). */
  async idle(): Promise<void> {
    while (this.#inFlight) await this.#inFlight;
  }

  /** Shutdown: one last immediate try for what is pending, no waiting for retries. */
  async drain(): Promise<void> {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    await this.idle();
    if (this.#pending.length === 0) return;
    await this.#flush(true);
  }

  #schedule(delayMs: number): void {
    this.#cancelTimer?.();
    this.#cancelTimer = this.#deps.timer.after(delayMs, () => {
      this.#cancelTimer = undefined;
      void this.#flush(false);
    });
  }

  #flush(final: boolean): Promise<void> {
    if (this.#inFlight || this.#pending.length === 0) return this.#inFlight ?? Promise.resolve();
    const batch = this.#pending.splice(0);
    const omitted = this.#omitted;
    this.#omitted = 0;
    const run = this.#deliver(batch, omitted, final)
      .catch((error: unknown) => {
        this.#deps.logger.error(
          { err: error, channel: this.#deps.channel.name },
          `${this.#deps.channel.name}: notification lost to an unexpected error`,
        );
      })
      .finally(() => {
        this.#inFlight = undefined;
        if (this.#pending.length > 0 && !this.#cancelTimer && !final) {
          this.#schedule(this.#deps.windowMs);
        }
      });
    this.#inFlight = run;
    return run;
  }

  async #deliver(batch: Notification[], omitted: number, final: boolean): Promise<void> {
    const { channel, config: currentConfig, logger } = this.#deps;
    const config = currentConfig(); // read at each send: config edits apply live
    const merged = mergeNotifications(batch, omitted);
    const target = channel.target(config);
    const count = batch.length + omitted;
    if (!target.configured) {
      logger.info(
        { channel: channel.name, title: merged.title },
        `${channel.name}: ${count} notification(s) not sent: the channel is ${target.why} now`,
      );
      return;
    }
    const outcome = await channel.send(merged, config, {
      fetch: this.#deps.fetch,
      timeoutMs: this.#deps.timeoutMs,
      now: this.#deps.now,
      secrets: [],
    });
    this.#judge(outcome, batch, omitted, merged, target.where, final);
  }

  #judge(
    outcome: SendOutcome,
    batch: Notification[],
    omitted: number,
    merged: Notification,
    where: string,
    final: boolean,
  ): void {
    const { channel, logger } = this.#deps;
    const name = channel.name;
    const count = batch.length + omitted;
    const log = { channel: name, title: merged.title, merged: count };
    const keep = (delayMs: number, why: string): void => {
      if (final) {
        logger.warn(log, `${name}: ${count} notification(s) not sent at shutdown: ${why}`);
        return;
      }
      this.#pending.unshift(...batch);
      this.#omitted += omitted;
      const seconds = Math.round(delayMs / 1000);
      logger.warn(
        log,
        `${name}: ${why}; keeping ${count} notification(s), merged into one, next try in ${seconds} s`,
      );
      this.#schedule(delayMs);
    };
    switch (outcome.kind) {
      case "sent":
        this.#failedAttempts = 0;
        this.#rateLimited = 0;
        logger.info(
          { ...log, status: outcome.status },
          count > 1
            ? `${name}: sent ${count} notifications merged into one to ${where}`
            : `${name}: sent "${merged.title}" to ${where}`,
        );
        return;
      case "rate-limited":
        this.#rateLimited++;
        keep(
          outcome.retryAfterMs ?? backoffMs(this.#rateLimited),
          `${where} is rate-limiting photoferry (HTTP 429)`,
        );
        return;
      case "failed":
        this.#failedAttempts++;
        if (this.#failedAttempts < MAX_FAILED_ATTEMPTS) {
          keep(backoffMs(this.#failedAttempts), `${where}: ${outcome.detail}`);
          return;
        }
        this.#failedAttempts = 0;
        logger.error(
          log,
          `${name}: gave up on ${count} notification(s) after ${MAX_FAILED_ATTEMPTS} tries: ${where}: ${outcome.detail}`,
        );
        return;
      case "refused":
        logger.error(
          { ...log, status: outcome.status },
          `${name}: ${where} refused ${count} notification(s) (${outcome.detail}); ${channel.refusalHint(outcome.status)}`,
        );
        return;
    }
  }
}
