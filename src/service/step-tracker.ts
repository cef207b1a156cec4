import type { RunProgress } from "./run-once.js";
import { stepNames, type StepName, type StepProgress } from "./service-contract.js";

export const pendingSteps = (): StepProgress[] =>
  stepNames.map((name) => ({
    name,
    state: "pending",
    startedAt: null,
    finishedAt: null,
    filesDone: 0,
    filesTotal: 0,
    bytesDone: 0,
    bytesTotal: 0,
  }));

/**
 * The progress bars of one run. Steps run in order, so a report for a later step means the
 * earlier running ones are done; a step never reported was skipped.
 */
export class StepTracker {
  private readonly steps = pendingSteps();

  constructor(private readonly now: () => number) {}

  /** Returns true when a step started or ended (worth telling at once, not throttled). */
  update(progress: RunProgress): boolean {
    const index = stepNames.indexOf(progress.step);
    const step = this.steps[index]!;
    let changed = false;
    for (const earlier of this.steps.slice(0, index)) {
      if (earlier.state === "running") changed = this.end(earlier, "done") || changed;
    }
    if (step.state !== "running") {
      step.state = "running";
      step.startedAt ??= this.iso();
      step.finishedAt = null;
      changed = true;
    }
    step.filesDone = progress.filesDone;
    step.filesTotal = progress.filesTotal;
    step.bytesDone = progress.bytesDone;
    step.bytesTotal = progress.bytesTotal;
    return changed;
  }

  /** Running steps end as `ok` says; steps never reached are skipped. */
  finish(ok: boolean): void {
    for (const step of this.steps) {
      if (step.state === "running") this.end(step, ok ? "done" : "failed");
      else if (step.state === "pending") step.state = "skipped";
    }
  }

  snapshot(): StepProgress[] {
    return this.steps.map((step) => ({ ...step }));
  }

  get(name: StepName): StepProgress {
    return { ...this.steps[stepNames.indexOf(name)]! };
  }

  private end(step: StepProgress, state: "done" | "failed"): boolean {
    step.state = state;
    step.finishedAt = this.iso();
    return true;
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }
}
