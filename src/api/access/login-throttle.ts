export interface ThrottleOptions {
  now: () => number;
  /** Failures within `windowMs` after which the client gets 429 until the window passes. */
  maxFailures?: number;
  windowMs?: number;
  /** The answer to the n-th failed attempt waits `baseDelayMs * 2^(n-1)`, at most `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Clients remembered at most; the oldest are forgotten first, so memory stays bounded. */
  maxClients?: number;
}

export type ThrottleDecision =
  { allowed: true; delayMs: number } | { allowed: false; retryAfterSeconds: number };

interface ClientRecord {
  failures: number;
  firstFailureAt: number;
}

/**
 * Slows down password guessing per client address: each failure makes that client's next
 * answer wait longer, and after `maxFailures` within the window it is refused outright (429).
 * A successful login clears only that client's own record, so an attacker cannot reset its
 * counter by being next to someone who knows the password, nor reset someone else's.
 */
export class LoginThrottle {
  private readonly clients = new Map<string, ClientRecord>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxClients: number;

  constructor(private readonly options: ThrottleOptions) {
    this.maxFailures = options.maxFailures ?? 10;
    this.windowMs = options.windowMs ?? 15 * 60_000;
    this.baseDelayMs = options.baseDelayMs ?? 250;
    this.maxDelayMs = options.maxDelayMs ?? 4000;
    this.maxClients = options.maxClients ?? 10_000;
  }

  check(client: string): ThrottleDecision {
    const record = this.current(client);
    if (!record) return { allowed: true, delayMs: 0 };
    if (record.failures >= this.maxFailures) {
      const retryAt = record.firstFailureAt + this.windowMs;
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((retryAt - this.options.now()) / 1000)),
      };
    }
    const delay = this.baseDelayMs * 2 ** (record.failures - 1);
    return { allowed: true, delayMs: Math.min(this.maxDelayMs, delay) };
  }

  failure(client: string): void {
    const record = this.current(client) ?? { failures: 0, firstFailureAt: this.options.now() };
    record.failures++;
    // Re-inserting moves the client to the end: the map's order is oldest activity first.
    this.clients.delete(client);
    this.clients.set(client, record);
    while (this.clients.size > this.maxClients) {
      const oldest = this.clients.keys().next().value;
      if (oldest === undefined) break;
      this.clients.delete(oldest);
    }
  }

  success(client: string): void {
    this.clients.delete(client);
  }

  private current(client: string): ClientRecord | undefined {
    const record = this.clients.get(client);
    if (record && this.options.now() - record.firstFailureAt >= this.windowMs) {
      this.clients.delete(client);
      return undefined;
    }
    return record;
  }
}
