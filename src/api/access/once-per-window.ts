/**
 * Says yes to a key at most `limit` times per window: audit entries that repeat for every
 * request (a token's use, a refused client hammering the API, failed logins) are kept a few
 * times per window, not flooded.
 */
export class OncePerWindow {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number,
    private readonly maxKeys = 10_000,
    private readonly limit = 1,
  ) {}

  take(key: string): boolean {
    const now = this.now();
    const window = this.windows.get(key);
    if (window !== undefined && now - window.start < this.windowMs) {
      if (window.count >= this.limit) return false;
      window.count++;
      return true;
    }
    this.windows.delete(key);
    this.windows.set(key, { start: now, count: 1 });
    if (this.windows.size > this.maxKeys) {
      const oldest = this.windows.keys().next().value;
      if (oldest !== undefined) this.windows.delete(oldest);
    }
    return true;
  }
}
