import { PassThrough } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import type { CliIo } from "../cli/command.js";
import type { RunResult } from "../cli/commands/run-report.js";

/** Runs `photoferry run --once` with the given args and io; resolves to its exit code. */
export type RunOnce = (args: string[], io: CliIo) => Promise<number>;

export interface RunOnceLoopOptions {
  configPath: string;
  env: NodeJS.ProcessEnv;
  intervalMs: number;
  runOnce: RunOnce;
  /** Receives photoferry's log lines (JSON, one a line). */
  log: NodeJS.WritableStream;
  /** Called after every pass with its result, or with the reason it could not run. */
  onPass: (outcome: { result: RunResult } | { problem: string }) => void;
}

export interface RunOnceLoop {
  /** Stops after the pass in progress (a pass is never cut short) and waits for it. */
  stop(): Promise<void>;
}

/**
 * The stand-in for the long-running service: one complete pass (`run --once --json`), a pause,
 * the next pass. A pass runs to its end before the loop stops, as the service's would.
 */
export function startRunOnceLoop(options: RunOnceLoopOptions): RunOnceLoop {
  const abort = new AbortController();
  const loop = (async () => {
    while (!abort.signal.aborted) {
      options.onPass(await onePass(options));
      try {
        await sleep(options.intervalMs, undefined, { signal: abort.signal });
      } catch {
        return; // aborted: stop() was called
      }
    }
  })();
  return {
    async stop() {
      abort.abort();
      await loop;
    },
  };
}

async function onePass(
  options: RunOnceLoopOptions,
): Promise<{ result: RunResult } | { problem: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  stderr.on("data", (chunk: Buffer) => {
    err += chunk.toString();
    options.log.write(chunk);
  });
  const io: CliIo = { stdin: new PassThrough(), stdout, stderr, env: options.env };
  try {
    await options.runOnce(["--once", "--json", "--config", options.configPath], io);
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
  try {
    return { result: JSON.parse(out) as RunResult };
  } catch {
    // No JSON: the config was refused or the state folder is locked; photoferry said why.
    const said = err.split("\n").find((line) => line.trim() && !line.startsWith("{"));
    return { problem: said?.trim() ?? "run --once printed no result" };
  }
}
