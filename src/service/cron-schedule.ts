import { Cron } from "croner";

/**
 * One cron timer (`schedule.cron`, or a folder's in `schedule.folders`). `set` replaces the
 * expression live; `null` turns it off. Croner keeps one timer for the next firing, so an idle
 * service costs nothing between runs.
 */
export class CronSchedule {
  private job: Cron | undefined;
  private expression: string | null = null;

  constructor(private readonly onFire: (expression: string) => void) {}

  set(expression: string | null): void {
    if (expression === this.expression && (this.job !== undefined) === (expression !== null))
      return;
    this.job?.stop();
    this.job = undefined;
    this.expression = expression;
    if (expression === null) return;
    // protect: a run that takes longer than the interval must not pile up firings here (the
    // queue merges them anyway, but the callback itself stays cheap and single).
    this.job = new Cron(expression, { protect: true }, () => this.onFire(expression));
  }

  /** The next `count` firings, soonest first, as ISO strings. */
  nextRuns(count: number): string[] {
    return (this.job?.nextRuns(count) ?? []).map((date) => date.toISOString());
  }

  get current(): string | null {
    return this.expression;
  }

  stop(): void {
    this.job?.stop();
    this.job = undefined;
    this.expression = null;
  }
}
