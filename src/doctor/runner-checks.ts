import type { RunnerTarget } from "../runners/create-runner.js";
import {
  RunnerError,
  type CommandResult,
  type CommandRunner,
  type CommandSpec,
} from "../runners/runner.js";
import { fail, ok, type CheckArea, type CheckResult } from "./check-result.js";

/** A runner's problems are Docker's when it goes through Docker, else the application's. */
export function runnerArea(target: RunnerTarget, app: CheckArea): CheckArea {
  return target.runner === "docker" ? "docker" : app;
}

const runnerName = (target: RunnerTarget): string => `${target.configKey} runner`;

export function judgeRunnerReached(
  target: RunnerTarget,
  app: CheckArea,
  description: string,
): CheckResult {
  return ok(runnerArea(target, app), runnerName(target), `commands run in ${description}`);
}

/** The command could not be started at all: the runner's own words and hint. */
export function judgeRunnerError(
  target: RunnerTarget,
  app: CheckArea,
  error: unknown,
): CheckResult {
  const area = runnerArea(target, app);
  if (error instanceof RunnerError)
    return fail(area, runnerName(target), error.message, error.hint);
  const message = error instanceof Error ? error.message : String(error);
  return fail(area, runnerName(target), message, `check ${target.configKey}`);
}

export type Attempt = { ran: true; result: CommandResult } | { ran: false; error: unknown };

/** One try, no retries: doctor reports what it sees now and must finish quickly. */
export async function attempt(
  runner: CommandRunner,
  spec: CommandSpec,
  timeoutMs: number,
): Promise<Attempt> {
  try {
    return { ran: true, result: await runner.run(spec, { timeoutMs }) };
  } catch (error) {
    return { ran: false, error };
  }
}
