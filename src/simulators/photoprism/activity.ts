/**
 * `mutex.MainWorker` / `IndexWorker`: the in-process lock shared by import and index in one
 * PhotoPrism process. A CLI run is another process with its own instance, so it never sees
 * the server's lock (reference/photoprism.md §1.5).
 */
export class Activity {
  private busy = false;
  private canceled = false;

  /** Throws "already running" (or "still running" once canceled) when busy. */
  start(): void {
    if (this.busy) throw new Error(this.canceled ? "still running" : "already running");
    this.busy = true;
    this.canceled = false;
  }

  stop(): void {
    this.busy = false;
    this.canceled = false;
  }

  cancel(): void {
    if (this.busy) this.canceled = true;
  }

  get running(): boolean {
    return this.busy;
  }

  get isCanceled(): boolean {
    return this.canceled;
  }
}
