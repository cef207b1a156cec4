import type { Timer } from "../delivery-queue.js";

/** A clock and timer that move only when the test says so. */
export class ManualTimer implements Timer {
  #now: number;
  #next = 0;
  readonly #due = new Map<number, { at: number; callback: () => void }>();

  constructor(start = Date.parse("2025-06-01T12:00:00Z")) {
    this.#now = start;
  }

  now = (): number => this.#now;

  after(ms: number, callback: () => void): () => void {
    const id = this.#next++;
    this.#due.set(id, { at: this.#now + ms, callback });
    return () => this.#due.delete(id);
  }

  /** Delays of the timers waiting, soonest first. */
  get waiting(): number[] {
    return [...this.#due.values()].map((entry) => entry.at - this.#now).sort((a, b) => a - b);
  }

  /** Moves the clock on and fires every timer that came due, in order. */
  advance(ms: number): void {
    const until = this.#now + ms;
    for (;;) {
      const next = [...this.#due.entries()]
        .filter(([, entry]) => entry.at <= until)
        .sort(([, a], [, b]) => a.at - b.at)[0];
      if (!next) break;
      this.#due.delete(next[0]);
      this.#now = next[1].at;
      next[1].callback();
    }
    this.#now = until;
  }
}
