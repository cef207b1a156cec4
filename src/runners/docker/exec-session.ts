import type { Duplex } from "node:stream";
import type Docker from "dockerode";
import { RunnerError } from "../runner.js";
import { engineError, messageOf, statusCodeOf } from "./engine-errors.js";
import { OutputTail } from "./output-tail.js";

/** A container reached through one engine client (local socket, or a node's socket proxy). */
export interface ContainerRef {
  docker: Docker;
  containerId: string;
  /** The engine's address, for messages. */
  engine: string;
  /** "container nextcloud", "task abc of service nextcloud", for messages. */
  label: string;
}

export interface ExecRequest {
  argv: readonly string[];
  user?: string;
  workingDir?: string;
  env: readonly string[];
}

export interface ExecInfo {
  running: boolean;
  exitCode: number | null;
  pid: number | undefined;
}

/** One started exec: its demultiplexed output and a promise that settles when it ends. */
export interface ExecSession {
  stdout: OutputTail;
  stderr: OutputTail;
  /** Settles when the attached stream ends, with the stream's error if it broke. */
  ended: Promise<Error | undefined>;
  isEnded(): boolean;
  inspect(): Promise<ExecInfo>;
  /** Stops listening; the process in the container is not affected. */
  abandon(): void;
}

export async function startExec(target: ContainerRef, request: ExecRequest): Promise<ExecSession> {
  const container = target.docker.getContainer(target.containerId);
  let exec: Docker.Exec;
  let stream: Duplex;
  try {
    exec = await container.exec({
      Cmd: [...request.argv],
      User: request.user,
      WorkingDir: request.workingDir,
      Env: [...request.env],
      AttachStdin: false,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
    });
    stream = await exec.start({ hijack: true, stdin: false });
  } catch (error) {
    throw execSetupError(error, target);
  }
  const stdout = new OutputTail();
  const stderr = new OutputTail();
  target.docker.modem.demuxStream(stream, stdout, stderr);
  let done = false;
  const ended = new Promise<Error | undefined>((resolve) => {
    const finish = (error?: Error): void => {
      done = true;
      resolve(error);
    };
    stream.once("end", () => finish());
    stream.once("close", () => finish());
    stream.once("error", (error) => finish(error));
  });
  return {
    stdout,
    stderr,
    ended,
    isEnded: () => done,
    inspect: async () => {
      try {
        const info = await exec.inspect();
        return {
          running: info.Running,
          exitCode: info.ExitCode,
          pid: (info as { Pid?: number }).Pid,
        };
      } catch (error) {
        throw engineError(error, {
          engine: target.engine,
          action: `reading the exit status of a command in ${target.label}`,
        });
      }
    },
    abandon: () => {
      stream.removeAllListeners("data");
      stream.on("error", () => undefined);
      stream.destroy();
    },
  };
}

/** Exec create/start failures: the container vanished, stopped or is restarting. */
function execSetupError(error: unknown, target: ContainerRef): RunnerError {
  const status = statusCodeOf(error);
  const detail = messageOf(error);
  if (status === 404) {
    return new RunnerError(
      "target-missing",
      `${target.label} no longer exists (${detail.trim()})`,
      "The container was removed or replaced; photoferry looks it up again on the next try.",
      { cause: error },
    );
  }
  if (status === 409 || (status === 500 && /not running|restarting|paused/i.test(detail))) {
    if (/restarting/i.test(detail)) {
      return new RunnerError(
        "target-restarting",
        `${target.label} is restarting`,
        "photoferry retries when it is up again; if it keeps restarting, read its log (docker logs).",
        { cause: error },
      );
    }
    return new RunnerError(
      "target-not-running",
      `${target.label} is not running (${detail.trim()})`,
      /paused/i.test(detail)
        ? "The container is paused: unpause it (docker unpause)."
        : "Start the container (docker start), then try again.",
      { cause: error },
    );
  }
  return engineError(error, {
    engine: target.engine,
    action: `starting a command in ${target.label}`,
  });
}

/**
 * Runs a short helper command (probe, stop helper) and waits for it at most `waitMs`.
 * Returns null when it did not finish in time.
 */
export async function runShortExec(
  target: ContainerRef,
  request: ExecRequest,
  waitMs: number,
): Promise<(ExecInfo & { stdout: string }) | null> {
  const session = await startExec(target, request);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), waitMs);
  });
  const outcome = await Promise.race([session.ended.then(() => "ended" as const), timedOut]);
  clearTimeout(timer);
  if (outcome === "timeout") {
    session.abandon();
    return null;
  }
  const info = await session.inspect();
  return { ...info, stdout: session.stdout.text() };
}
