import type { Logger } from "pino";
import type { PhotoferryConfig } from "../config/resolve-config.js";
import type { FetchLike } from "../photoprism/node-http-fetch.js";
import type {
  PhotoferryService,
  RunSummary,
  ServiceEvent,
  ServiceState,
} from "../service/service-contract.js";
import type { Channel } from "./channel.js";
import { DeliveryQueue, realTimer, type Timer } from "./delivery-queue.js";
import {
  notificationForRun,
  notificationForState,
  runFileFacts,
  type RunFileFacts,
} from "./event-rules.js";
import type { SendOutcome } from "./http-post.js";
import { meetsThreshold } from "./levels.js";
import type { Notification } from "./notification.js";
import { ntfyChannel } from "./ntfy-channel.js";
import { webhookChannel } from "./webhook-channel.js";

export interface NotifierDeps {
  /** Read at every send, so config edits apply without a restart. */
  config: () => PhotoferryConfig;
  logger: Logger;
  fetch?: FetchLike;
  now?: () => number;
  timer?: Timer;
  /** Events this close together go out as one message. Default 10 s. */
  windowMs?: number;
  /** Per request. Default 15 s. */
  timeoutMs?: number;
}

/** `run` is optional: with it, messages name the users and count quarantined files. */
export type NotifierSource = Pick<PhotoferryService, "subscribe"> &
  Partial<Pick<PhotoferryService, "run">>;

/**
 * Node's own fetch, not `nodeHttpFetch`: that one drops the response headers, and a 429's
 * `Retry-After` must be read. Notifications need no answers slower than 300 s.
 */
const globalFetch: FetchLike = (input, init) => fetch(input, init);

const channels: readonly Channel[] = [ntfyChannel, webhookChannel];

/** Turns the service's events into notifications on ntfy and the webhook, by level. */
export class Notifier {
  readonly #deps: NotifierDeps;
  readonly #now: () => number;
  readonly #queues: Map<Channel, DeliveryQueue>;
  #source: NotifierSource | undefined;
  #unsubscribe: (() => void) | undefined;
  #lastState: ServiceState | undefined;

  constructor(deps: NotifierDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    const shared = {
      config: deps.config,
      logger: deps.logger,
      fetch: deps.fetch ?? globalFetch,
      now: this.#now,
      timer: deps.timer ?? realTimer,
      windowMs: deps.windowMs ?? 10_000,
      timeoutMs: deps.timeoutMs ?? 15_000,
    };
    this.#queues = new Map(
      channels.map((channel) => [channel, new DeliveryQueue({ ...shared, channel })]),
    );
  }

  start(service: NotifierSource): void {
    if (this.#unsubscribe) throw new Error("the notifier is already started");
    this.#source = service;
    this.#unsubscribe = service.subscribe((event) => this.#onEvent(event));
  }

  /** Stops listening and makes one last attempt to send what is still waiting. */
  async stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    await Promise.all([...this.#queues.values()].map((queue) => queue.drain()));
  }

  /** Resolves when no send is under way; for tests and shutdown. */
  async idle(): Promise<void> {
    await Promise.all([...this.#queues.values()].map((queue) => queue.idle()));
  }

  /** Queues a notification on every configured channel whose threshold it meets. */
  notify(notification: Notification): void {
    const config = this.#deps.config();
    this.#deps.logger.debug(
      { event: notification.event, level: notification.level },
      notification.title,
    );
    for (const [channel, queue] of this.#queues) {
      if (!channel.target(config).configured) continue;
      if (meetsThreshold(notification.level, channel.threshold(config)))
        queue.enqueue(notification);
    }
  }

  /** Sends a test message on every configured channel now, ignoring thresholds. */
  async test(): Promise<{ ok: boolean; detail: string }> {
    const config = this.#deps.config();
    const message: Notification = {
      event: "test",
      level: "info",
      title: "photoferry test notification",
      message: "If you can read this, photoferry's notifications reach you.",
      runId: null,
      at: new Date(this.#now()).toISOString(),
    };
    const results = await Promise.all(
      channels.map(async (channel) => {
        const target = channel.target(config);
        if (!target.configured)
          return { configured: false, ok: false, line: `${channel.name}: ${target.why}` };
        const outcome = await channel.send(message, config, {
          fetch: this.#deps.fetch ?? globalFetch,
          timeoutMs: this.#deps.timeoutMs ?? 15_000,
          now: this.#now,
          secrets: [],
        });
        return {
          configured: true,
          ok: outcome.kind === "sent",
          line: `${channel.name}: ${describe(outcome, target.where, channel)}`,
        };
      }),
    );
    const configured = results.filter((result) => result.configured);
    const ok = configured.length > 0 && configured.every((result) => result.ok);
    const detail = results.map((result) => result.line).join("; ");
    this.#deps.logger.info({ ok }, `notification test: ${detail}`);
    return {
      ok,
      detail:
        configured.length > 0
          ? detail
          : `${detail} (set notify.ntfy.url and notify.ntfy.topic, or notify.webhook.url)`,
    };
  }

  #onEvent(event: ServiceEvent): void {
    // A listener that throws could break the service's event loop: contain everything here.
    try {
      switch (event.type) {
        case "run-finished":
          this.notify(notificationForRun(event.run, this.#factsOf(event.run)));
          return;
        case "state": {
          const notification = notificationForState(
            this.#lastState,
            event.status,
            new Date(this.#now()).toISOString(),
          );
          this.#lastState = event.status.state;
          if (notification) this.notify(notification);
          return;
        }
        case "progress":
        case "log":
          return;
      }
    } catch (error) {
      this.#deps.logger.error({ err: error }, "notifications: could not handle a service event");
    }
  }

  #factsOf(run: RunSummary): RunFileFacts | undefined {
    const detail = this.#source?.run?.(run.id);
    return detail ? runFileFacts(detail) : undefined;
  }
}

function describe(outcome: SendOutcome, where: string, channel: Channel): string {
  switch (outcome.kind) {
    case "sent":
      return `sent to ${where} (HTTP ${outcome.status})`;
    case "rate-limited": {
      const wait =
        outcome.retryAfterMs === undefined
          ? ""
          : `; try again in ${Math.ceil(outcome.retryAfterMs / 1000)} s`;
      return `${where} is rate-limiting photoferry (HTTP 429)${wait}`;
    }
    case "refused":
      return `${where} refused the message (${outcome.detail}); ${channel.refusalHint(outcome.status)}`;
    case "failed":
      return `not sent to ${where}: ${outcome.detail}`;
  }
}
