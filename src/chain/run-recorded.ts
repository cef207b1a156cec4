import { CommandLog, outputTail, type AppName } from "../ledger/command-log.js";
import { RunnerError, type CommandRunner, type CommandSpec } from "../runners/runner.js";
import type { CommandQueue } from "./command-queue.js";

export interface RecordedRunDeps {
  runner: CommandRunner;
  queue: CommandQueue;
  log: CommandLog;
  now: () => number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** false: a runner error after the command may have started is not retried. */
  retryTransient?: boolean;
}

export interface ParsedOutcome<P> {
  parsed: P;
  ok: boolean;
  /** Set when the output shows a transient condition worth another attempt. */
  retry?: string;
}

/**
 * Runs one command through the queue (never overlapping another for the same application,
 * retried on transient failures) and records every attempt — argv, exit code, duration,
 * parsed result and the tail of its output — in the command log.
 */
export function runRecorded<P>(
  deps: RecordedRunDeps,
  app: AppName,
  step: string,
  batchId: string | null,
  spec: CommandSpec,
  parse: (result: Awaited<ReturnType<CommandRunner["run"]>>) => ParsedOutcome<P>,
): Promise<P> {
  const label = `${step} (${deps.runner.description})`;
  return deps.queue.run(
    app,
    label,
    async (attempt) => {
      const startedAt = deps.now();
      const base = {
        app,
        step,
        batchId,
        target: deps.runner.description,
        argv: [...spec.argv],
        attempt,
        startedAt,
      };
      try {
        const result = await deps.runner.run(spec, {
          timeoutMs: deps.timeoutMs,
          ...(deps.signal ? { signal: deps.signal } : {}),
        });
        const outcome = parse(result);
        deps.log.record({
          ...base,
          exitCode: result.exitCode,
          timedOut: result.timedOut,
          ok: outcome.ok,
          durationMs: result.durationMs,
          parsed: outcome.parsed,
          error: result.timedOut ? `stopped after ${Math.round(deps.timeoutMs / 1000)} s` : null,
          outputTail: outputTail(result.stdout, result.stderr),
        });
        return outcome.retry === undefined
          ? { value: outcome.parsed }
          : { value: outcome.parsed, retry: outcome.retry };
      } catch (error) {
        const message =
          error instanceof RunnerError ? `${error.message} — ${error.hint}` : String(error);
        deps.log.record({
          ...base,
          exitCode: null,
          timedOut: false,
          ok: false,
          durationMs: deps.now() - startedAt,
          parsed: null,
          error: message,
          outputTail: "",
        });
        throw error;
      }
    },
    deps.signal,
    { retryTransient: deps.retryTransient ?? true },
  );
}
