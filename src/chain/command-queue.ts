import type { Logger } from "pino";
import type { AppName } from "../ledger/command-log.js";

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

/** About 2 s, 4 s, 8 s, 16 s between five attempts: long enough for a container restart. */
export const defaultRetryPolicy: RetryPolicy = {
  attempts: 5,
  firstDelayMs: 2_000,
  maxDelayMs: 60_000,
};

/**
 * Delay before attempt `attempt + 1`: exponential, capped, with ±20% jitter so that several
 * photoferry instances do not hammer a restarting daemon in step.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, random = Math.random): number {
  const base = Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** (attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** What one attempt produced; `retry` names a transient problem worth another attempt. */
export interface AttemptOutcome<T> {
  value: T;
  retry?: string;
}

export interface CommandQueueDeps {
  retry: RetryPolicy;
  logger: Logger;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

/** Errors that carry `transient: true` (RunnerError, PhotoPrismApiError) are retried. */
export const isTransient = (error: unknown): boolean =>
  typeof error === "object" &&
  error !== null &&
  (error as { transient?: unknown }).transient === true;

const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener("abort", abort);
      resolve();
    }
    function abort() {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    }
    signal?.addEventListener("abort", abort, { once: true });
  });

/**
 * Runs commands so that two for the same application never overlap (PhotoPrism's own lock
 * does not cover `docker exec`, and two occ scans of one path collide), retrying transient
 * failures with exponential backoff.
 */
export class CommandQueue {
  private readonly tails = new Map<AppName, Promise<unknown>>();
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(private readonly deps: CommandQueueDeps) {
    this.sleep = deps.sleep ?? defaultSleep;
  }

  run<T>(
    app: AppName,
    label: string,
    work: (attempt: number) => Promise<AttemptOutcome<T>>,
    signal?: AbortSignal,
    /** `retryTransient: false`: a transient error is not retried (the command may still run). */
    options: { retryTransient?: boolean } = {},
  ): Promise<T> {
    const previous = this.tails.get(app) ?? Promise.resolve();
    const go = () => this.withRetries(label, work, signal, options.retryTransient ?? true);
    const next = previous.then(go, go);
    // The tail must never reject, or every later command for the app would fail with it.
    this.tails.set(
      app,
      next.catch(() => undefined),
    );
    return next;
  }

  private async withRetries<T>(
    label: string,
    work: (attempt: number) => Promise<AttemptOutcome<T>>,
    signal: AbortSignal | undefined,
    retryTransient: boolean,
  ): Promise<T> {
    const { retry, logger } = this.deps;
    for (let attempt = 1; ; attempt++) {
      signal?.throwIfAborted();
      let reason: string;
      try {
        const outcome = await work(attempt);
        if (outcome.retry === undefined || attempt >= retry.attempts) return outcome.value;
        reason = outcome.retry;
      } catch (error) {
        if (!retryTransient || !isTransient(error) || attempt >= retry.attempts) throw error;
        reason = (error as Error).message;
      }
      const delay = backoffDelay(retry, attempt, this.deps.random);
      logger.warn(
        { command: label, attempt, nextInMs: delay },
        `${label}: ${reason} — trying again in ${Math.round(delay / 1000)} s`,
      );
      await this.sleep(delay, signal);
    }
  }
}
