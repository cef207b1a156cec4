import { randomBytes } from "node:crypto";
import type { CommandResult, CommandSpec, RunOptions } from "../runner.js";
import { RunnerError } from "../runner.js";
import { engineError } from "./engine-errors.js";
import { runShortExec, startExec, type ContainerRef, type ExecSession } from "./exec-session.js";
import {
  EXEC_MARKER_VARIABLE,
  KILL_GRACE_SECONDS,
  clientDeadlineMs,
  execStartFailure,
  interpretWrappedExit,
  killByMarkerArgv,
  wrapWithTimeout,
  wrappedStartFailure,
} from "./exec-timeout.js";

/**
 * Runs one command in a container and waits for it, within the time limit. `hasTimeout`
 * says whether the container has a usable `timeout` program (probed by the caller).
 */
export async function runInContainer(
  target: ContainerRef,
  spec: CommandSpec,
  options: RunOptions,
  hasTimeout: boolean,
): Promise<CommandResult> {
  const started = Date.now();
  if (options.signal?.aborted) {
    return { exitCode: null, stdout: "", stderr: "", durationMs: 0, timedOut: true };
  }
  const marker = randomBytes(12).toString("hex");
  const session = await startExec(target, {
    argv: hasTimeout ? wrapWithTimeout(spec.argv, options.timeoutMs) : spec.argv,
    user: spec.user,
    workingDir: spec.workingDir,
    env: [...environmentList(spec.env), `${EXEC_MARKER_VARIABLE}=${marker}`],
  });
  const outcome = await waitForEnd(
    session,
    clientDeadlineMs(options.timeoutMs, hasTimeout),
    options.signal,
  );
  if (outcome === "ended") {
    const info = await finalStatus(
      session,
      started + clientDeadlineMs(options.timeoutMs, hasTimeout),
    );
    if (info !== null) {
      if (execStartFailure(info.exitCode, info.pid)) {
        throw startFailure(session.stdout.text(), spec, target);
      }
      if (hasTimeout && wrappedStartFailure(info.exitCode, session.stderr.text())) {
        throw startFailure(session.stderr.text(), spec, target);
      }
      if (info.exitCode !== null && info.exitCode >= 128) {
        await assertContainerStillUp(target);
      }
      const durationMs = Date.now() - started;
      const exit =
        hasTimeout && info.exitCode !== null
          ? interpretWrappedExit(info.exitCode, durationMs, options.timeoutMs)
          : { exitCode: info.exitCode, timedOut: false };
      return { ...exit, stdout: session.stdout.text(), stderr: session.stderr.text(), durationMs };
    }
  }
  // Out of time or aborted: stop the processes ourselves, since the Engine cannot.
  const stopped = await stopByMarker(target, session, marker);
  session.abandon();
  const note = stopped
    ? ""
    : `\n[photoferry] stopped waiting after ${Date.now() - started} ms; the command may still be running in ${target.label}.\n`;
  return {
    exitCode: null,
    stdout: session.stdout.text(),
    stderr: session.stderr.text() + note,
    durationMs: Date.now() - started,
    timedOut: true,
  };
}

/**
 * A command killed by a signal may have been killed because its container stopped (or the
 * engine shut down and took the container with it). That is not the command's own failure:
 * report it as a transient problem, so the queue retries and then sees the real state.
 */
async function assertContainerStillUp(target: ContainerRef): Promise<void> {
  // The exec's end is reported before the engine has recorded the container's exit, so
  // watch the state for a moment (a signal death is rare enough to afford it).
  for (let check = 0; check < 6; check++) {
    let state: { Running: boolean; Restarting: boolean };
    try {
      state = (await target.docker.getContainer(target.containerId).inspect()).State;
    } catch (error) {
      throw engineError(error, { engine: target.engine, action: `checking ${target.label}` });
    }
    if (!state.Running || state.Restarting) {
      throw new RunnerError(
        "target-restarting",
        `${target.label} stopped while the command ran, so the command was killed`,
        "The container (or the Docker engine) was stopped or restarted; photoferry retries once it is up.",
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function environmentList(env: CommandSpec["env"]): string[] {
  return Object.entries(env ?? {}).map(([name, value]) => {
    if (name === "" || name.includes("=") || name.includes("\0")) {
      throw new RunnerError(
        "exec-failed",
        `Invalid environment variable name ${JSON.stringify(name)}`,
        "Environment variable names must be non-empty and contain neither '=' nor NUL.",
      );
    }
    return `${name}=${value}`;
  });
}

type WaitOutcome = "ended" | "deadline" | "aborted";

async function waitForEnd(
  session: ExecSession,
  deadlineMs: number,
  signal: AbortSignal | undefined,
): Promise<WaitOutcome> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<WaitOutcome>((resolve) => {
    timer = setTimeout(() => resolve("deadline"), deadlineMs);
    onAbort = () => resolve("aborted");
    signal?.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([session.ended.then(() => "ended" as const), stop]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener("abort", onAbort);
  }
}

/**
 * The exec's exit status once the stream has ended. Over a proxy the stream can break while
 * the process still runs; then poll until it ends or the deadline passes (null).
 */
async function finalStatus(session: ExecSession, deadline: number) {
  for (;;) {
    const info = await session.inspect();
    if (!info.running) return info;
    if (Date.now() >= deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * TERM, then KILL after the grace period, to every process carrying the marker. Runs as
 * root so it can signal any user's processes. True when the command's stream has ended.
 */
async function stopByMarker(
  target: ContainerRef,
  session: ExecSession,
  marker: string,
): Promise<boolean> {
  for (const [signal, waitMs] of [
    ["TERM", KILL_GRACE_SECONDS * 1000],
    ["KILL", 2000],
  ] as const) {
    if (session.isEnded()) return true;
    try {
      await runShortExec(
        target,
        { argv: killByMarkerArgv(signal, marker), user: "0", env: [] },
        5000,
      );
    } catch {
      // No shell in the image, or the engine is gone: nothing more can be done from here.
      return session.isEnded();
    }
    await Promise.race([session.ended, new Promise((resolve) => setTimeout(resolve, waitMs))]);
  }
  return session.isEnded();
}

function startFailure(output: string, spec: CommandSpec, target: ContainerRef): RunnerError {
  const reason = output.trim() || "the engine gave no reason";
  const program = spec.argv[0] ?? "";
  let hint = `Check the command, user and working directory configured for ${target.label}.`;
  if (/unable to find user|no matching entries in passwd/i.test(reason)) {
    hint =
      `The user "${spec.user ?? ""}" does not exist in ${target.label}. Use a user name that ` +
      "exists there, or a numeric uid (e.g. 33 for www-data in the official Nextcloud image).";
  } else if (
    /executable file not found|no such file or directory/i.test(reason) &&
    !/chdir|cwd/i.test(reason)
  ) {
    hint =
      `The program "${program}" is not in ${target.label}. Check the configured command: ` +
      "is this the right container and image?";
  } else if (/chdir|cwd/i.test(reason)) {
    hint = `The working directory "${spec.workingDir ?? ""}" does not exist in ${target.label}.`;
  } else if (/permission denied/i.test(reason)) {
    hint = `The user "${spec.user ?? "(default)"}" may not run "${program}" in ${target.label}.`;
  }
  return new RunnerError(
    "exec-failed",
    `Could not start "${program}" in ${target.label}: ${reason}`,
    hint,
  );
}
