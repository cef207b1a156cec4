export interface ThrottleOptions {
  now: () => number;
  /** Failures within `windowMs` after which the client gets 429 until the window passes. */
  maxFailures?: number;
  windowMs?: number;
  /** The answer to the n-th failed attempt waits `baseDelayMs * 2^(n-1)`, at most `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /**
   * Failures from all clients together within `windowMs` after which every login waits at
   * least `globalDelayMs`: a guesser spread over many addresses still gets slowed down.
   */
  globalMaxFailures?: number;
  globalDelayMs?: number;
  /** Clients remembered at most; the oldest are forgotten first, so memory stays bounded. */
  maxClients?: number;
}

export type ThrottleDecision =
  | { allowed: true; delayMs: number }
  | { allowed: false; retryAfterSeconds: number; reason: "too-many-failures" | "in-flight" };

interface ClientRecord {
  failures: number;
  firstFailureAt: number;
}

/**
 * Slows down password guessing per client (`clientKey`: an address, an IPv6 /64): each
 * failure makes that client's next answer wait longer, and after `maxFailures` within the
 * window it is refused outright (429). Every attempt counts as a failure from the moment it
 * starts (`attempt`) and is forgiven only when it succeeds (`succeeded`) or never reached
 * the password check (`cancelled`); a client gets one attempt in flight at a time. So
 * parallel guesses cannot all pass the check before the first failure is counted.
 * A success clears only that client's own record.
 */
export class LoginThrottle {
  private readonly clients = new Map<string, ClientRecord>();
  private readonly inFlight = new Set<string>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly globalMaxFailures: number;
  private readonly globalDelayMs: number;
  private readonly maxClients: number;
  private global = { failures: 0, since: 0 };

  constructor(private readonly options: ThrottleOptions) {
    this.maxFailures = options.maxFailures ?? 10;
    this.windowMs = options.windowMs ?? 15 * 60_000;
    this.baseDelayMs = options.baseDelayMs ?? 250;
    this.maxDelayMs = options.maxDelayMs ?? 4000;
    this.globalMaxFailures = options.globalMaxFailures ?? 100;
    this.globalDelayMs = options.globalDelayMs ?? 2000;
    this.maxClients = options.maxClients ?? 10_000;
  }

  /** Starts a login attempt, counted as failed until `succeeded` or `cancelled` says otherwise. */
  attempt(client: string): ThrottleDecision {
    if (this.inFlight.has(client)) {
      return { allowed: false, retryAfterSeconds: 1, reason: "in-flight" };
    }
    const now = this.options.now();
    const record = this.current(client);
    const failures = record?.failures ?? 0;
    if (record && failures >= this.maxFailures) {
      const retryAt = record.firstFailureAt + this.windowMs;
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((retryAt - now) / 1000)),
        reason: "too-many-failures",
      };
    }
    const own =
      failures === 0 ? 0 : Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (failures - 1));
    const global = this.globalFailures() >= this.globalMaxFailures ? this.globalDelayMs : 0;
    this.count(client, record ?? { failures: 0, firstFailureAt: now });
    this.inFlight.add(client);
    return { allowed: true, delayMs: Math.max(own, global) };
  }

  /** The password was wrong: the attempt stays counted. */
  failed(client: string): void {
    this.inFlight.delete(client);
  }

  /** The password was right: the client's record is cleared, others' are not. */
  succeeded(client: string): void {
    this.inFlight.delete(client);
    if (this.clients.delete(client)) this.uncountGlobal();
  }

  /** The password was never checked (server busy, broken hash): the attempt does not count. */
  cancelled(client: string): void {
    this.inFlight.delete(client);
    const record = this.clients.get(client);
    if (!record) return;
    record.failures--;
    if (record.failures <= 0) this.clients.delete(client);
    this.uncountGlobal();
  }

  private count(client: string, record: ClientRecord): void {
    record.failures++;
    this.globalFailures();
    this.global.failures++;
    // Re-inserting moves the client to the end: the map's order is oldest activity first.
    this.clients.delete(client);
    this.clients.set(client, record);
    while (this.clients.size > this.maxClients) {
      const oldest = this.clients.keys().next().value;
      if (oldest === undefined) break;
      this.clients.delete(oldest);
    }
  }

  private uncountGlobal(): void {
    if (this.global.failures > 0) this.global.failures--;
  }

  private globalFailures(): number {
    const now = this.options.now();
    if (now - this.global.since >= this.windowMs) this.global = { failures: 0, since: now };
    return this.global.failures;
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

/**
 * Password checks running at once, across all clients. An scrypt check of a default hash
 * takes 128 MiB: without a cap, a burst of logins from many addresses exhausts memory.
 */
export class VerificationSlots {
  private running = 0;

  constructor(private readonly max = 2) {}

  tryAcquire(): boolean {
    if (this.running >= this.max) return false;
    this.running++;
    return true;
  }

  release(): void {
    if (this.running > 0) this.running--;
  }
}
