/**
 * A runner executes one command for a target application (Nextcloud's occ, PhotoPrism's CLI)
 * wherever that application lives: a Docker container (or Swarm service), a host over SSH,
 * or this machine. The argv is an array end to end — never joined into a shell line by
 * photoferry — so user ids with spaces stay one argument.
 */
export interface CommandSpec {
  /** The program and its arguments, e.g. ["php", "/var/www/html/occ", "status"]. */
  argv: readonly string[];
  /** User to run as (name or uid, "uid:gid" allowed); the target's default when absent. */
  user?: string;
  /** Working directory inside the target; the target's default when absent. */
  workingDir?: string;
  /** Extra environment variables. */
  env?: Readonly<Record<string, string>>;
}

export interface RunOptions {
  /** Hard limit; the command is stopped (not merely abandoned) when it is exceeded. */
  timeoutMs: number;
  /** Aborting stops the command the same way a timeout does. */
  signal?: AbortSignal;
}

export interface CommandResult {
  /** null when the command did not exit by itself (killed after a timeout or abort). */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
}

/**
 * Why a command could not be run at all (as opposed to running and failing). `transient`
 * problems are retried with backoff by the command queue; the rest are reported at once.
 */
export type RunnerErrorCode =
  | "target-missing" // no such container / service / program
  | "target-not-running" // container exists but is stopped
  | "target-restarting" // container restarting, Swarm task not yet running
  | "daemon-unreachable" // Docker engine or SSH host cannot be reached
  | "auth-failed" // SSH key refused
  | "host-key-mismatch" // SSH host key differs from the pinned one
  | "exec-failed" // the engine refused to start the exec (bad user, missing binary, …)
  | "protocol"; // anything else unexpected from the engine / SSH server

const transientCodes: ReadonlySet<RunnerErrorCode> = new Set([
  "target-restarting",
  "daemon-unreachable",
]);

export class RunnerError extends Error {
  override readonly name = "RunnerError";
  constructor(
    readonly code: RunnerErrorCode,
    message: string,
    /** What the person should do about it, in plain words. */
    readonly hint: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get transient(): boolean {
    return transientCodes.has(this.code);
  }
}

export interface CommandRunner {
  /** Short description for logs and the UI, e.g. "docker container nextcloud". */
  readonly description: string;
  run(spec: CommandSpec, options: RunOptions): Promise<CommandResult>;
  /** Releases connections (SSH sessions, HTTP agents). Safe to call twice. */
  close(): Promise<void>;
}

/** The longest tail of stdout/stderr a runner keeps; older output is dropped. */
export const MAX_CAPTURED_OUTPUT_BYTES = 4 * 1024 * 1024;
