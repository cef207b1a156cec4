import { RunnerError, type CommandSpec } from "../runner.js";
import { PRINT_PROCESS_GROUP } from "./remote-process-group.js";
import { joinForPosixShell, quoteForPosixShell } from "./shell-quote.js";

/** What an SSH runner runs its commands in on the remote host. */
export type SshTarget =
  /** `docker exec` into a container there; `docker` is the client's argv (e.g. ["sudo", "-n", "docker"]). */
  | { kind: "docker-exec"; container: string; docker?: readonly string[] }
  /** The command itself, as the SSH login user. */
  | { kind: "host" };

/** Seconds the remote `timeout` waits after its TERM before it sends KILL. */
export const REMOTE_KILL_AFTER_SECONDS = 5;

const shellName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The one command line sent over SSH. Every word is quoted (see shell-quote.ts). The shell
 * first reports its pid (see remote-process-group.ts); `exec` then gives that pid and process
 * group to the program (or `timeout`), so a stop reaches all of it.
 * With `timeoutSeconds`, the remote `timeout` stops the command even when the connection is
 * lost. In `host` mode the user cannot be switched (the caller decides what to say).
 */
export function remoteCommandLine(
  spec: CommandSpec,
  target: SshTarget,
  timeoutSeconds: number | undefined,
  /** The container has `timeout`: stop the command there, not only the docker client. */
  timeoutInContainer = false,
): string {
  const seconds = timeoutSeconds === undefined ? undefined : Math.max(1, Math.ceil(timeoutSeconds));
  const limit = (secs: number | undefined) =>
    secs === undefined ? "" : `timeout -k ${REMOTE_KILL_AFTER_SECONDS} ${secs} `;
  if (target.kind === "docker-exec") {
    const docker = target.docker ?? ["docker"];
    const options: string[] = [];
    if (spec.user !== undefined) options.push("-u", spec.user);
    if (spec.workingDir !== undefined) options.push("-w", spec.workingDir);
    for (const [name, value] of Object.entries(spec.env ?? {}))
      options.push("-e", `${name}=${value}`);
    // Killing `docker exec` leaves the command running in the container (moby#9098), so
    // the limit goes inside when it can; the outer one only frees the client a bit later.
    const inside =
      timeoutInContainer && seconds !== undefined
        ? ["timeout", "-k", String(REMOTE_KILL_AFTER_SECONDS), String(seconds)]
        : [];
    const outer =
      inside.length > 0 && seconds !== undefined
        ? seconds + 2 * REMOTE_KILL_AFTER_SECONDS
        : seconds;
    const argv = [...docker, "exec", ...options, target.container, ...inside, ...spec.argv];
    return `${PRINT_PROCESS_GROUP}exec ${limit(outer)}${joinForPosixShell(argv)}`;
  }
  const limitText = limit(seconds);
  const steps: string[] = [];
  if (spec.workingDir !== undefined) steps.push(`cd ${quoteForPosixShell(spec.workingDir)}`);
  for (const [name, value] of Object.entries(spec.env ?? {})) {
    if (!shellName.test(name)) {
      throw new RunnerError(
        "exec-failed",
        `the environment variable name "${name}" cannot be passed over SSH`,
        "use letters, digits and _ only (not starting with a digit)",
      );
    }
    steps.push(`export ${name}=${quoteForPosixShell(value)}`);
  }
  steps.push(`exec ${limitText}${joinForPosixShell(spec.argv)}`);
  return PRINT_PROCESS_GROUP + steps.join(" && ");
}

/**
 * A non-zero exit that means the command never ran (so it is not the command's result):
 * the docker client, container or program is missing, or the container is not running.
 */
export function remoteStartFailure(
  target: SshTarget,
  exitCode: number | null,
  stderr: string,
  program: string,
): RunnerError | undefined {
  if (exitCode === null || exitCode === 0) return undefined;
  // The docker client's own complaints come first, on one line; anchoring to it keeps a
  // command that merely mentions such words in its output from being misread.
  const text = stderr.trimStart().split("\n", 1)[0] ?? "";
  if (target.kind === "docker-exec") {
    const container = target.container;
    if (/^Error response from daemon: No such container/i.test(text)) {
      return new RunnerError(
        "target-missing",
        `there is no container "${container}" on the SSH host`,
        "check the container name (`docker ps` on that host)",
      );
    }
    if (/^Error response from daemon: .*is restarting/i.test(text)) {
      return new RunnerError(
        "target-restarting",
        `the container "${container}" is restarting`,
        "wait for it to come up; photoferry retries",
      );
    }
    if (/^Error response from daemon: .*is (not running|paused)/i.test(text)) {
      return new RunnerError(
        "target-not-running",
        `the container "${container}" is not running`,
        `start it (\`docker start ${container}\` on the SSH host)`,
      );
    }
    if (/^Cannot connect to the Docker daemon/i.test(text)) {
      return new RunnerError(
        "daemon-unreachable",
        "the Docker engine on the SSH host is not reachable",
        "start Docker on that host",
      );
    }
    if (/^permission denied while trying to connect to the Docker daemon/i.test(text)) {
      return new RunnerError(
        "exec-failed",
        "the SSH user may not use Docker on that host",
        "add the SSH user to the `docker` group there, or set the docker command to use sudo",
      );
    }
    if (
      /^OCI runtime exec failed: .*(executable file not found|no such file or directory)/i.test(
        text,
      )
    ) {
      return new RunnerError(
        "target-missing",
        `"${program}" was not found in the container "${container}"`,
        "check the configured command and the container's image",
      );
    }
  }
  if (exitCode === 127 && /not found|No such file/i.test(text)) {
    const what =
      target.kind === "docker-exec" ? "the docker client or the program" : `"${program}"`;
    return new RunnerError(
      "target-missing",
      `${what} was not found on the SSH host`,
      "install it there, or give its full path in the configured command",
    );
  }
  if (exitCode === 126 && /permission denied|cannot execute/i.test(text)) {
    return new RunnerError(
      "exec-failed",
      `"${program}" could not be started on the SSH host`,
      "make it executable for the SSH user",
    );
  }
  return undefined;
}
