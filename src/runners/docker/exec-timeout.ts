/**
 * How a command is stopped inside a container. The Engine has no "kill this exec" call, and
 * closing the attached stream leaves the process running, so the command is wrapped in
 * coreutils `timeout` where the container has it; that stops it even if photoferry dies.
 * Aborts, and containers without `timeout`, use a marker variable in the command's
 * environment: a helper exec finds the processes carrying it in /proc and signals them.
 */

/** Seconds between `timeout`'s SIGTERM and its SIGKILL. */
export const KILL_GRACE_SECONDS = 5;

/** The exact form used later, so an old BusyBox `timeout` (other syntax) counts as absent. */
export const TIMEOUT_PROBE_ARGV = ["timeout", "-k", "1", "1", "true"] as const;

/** Environment variable that marks every process of one exec (inherited by children). */
export const EXEC_MARKER_VARIABLE = "PHOTOFERRY_EXEC_ID";

export function wrapWithTimeout(argv: readonly string[], timeoutMs: number): string[] {
  // timeout(1) takes fractional seconds; a zero would mean "no limit".
  const seconds = Math.max(timeoutMs, 1) / 1000;
  return ["timeout", "-k", String(KILL_GRACE_SECONDS), String(seconds), ...argv];
}

/** Exit statuses `timeout` (coreutils 124/137, BusyBox 143) gives when it stopped the command. */
const TIMEOUT_STATUSES = new Set([124, 137, 143]);

/**
 * Reads the exit status of a wrapped command. A command can itself exit 124 or be killed,
 * so the status only counts as a timeout when the limit had actually passed.
 */
export function interpretWrappedExit(
  exitCode: number,
  elapsedMs: number,
  timeoutMs: number,
): { exitCode: number | null; timedOut: boolean } {
  // Clocks differ slightly between the container's timer and ours.
  const limitReached = elapsedMs >= timeoutMs - 50;
  if (TIMEOUT_STATUSES.has(exitCode) && limitReached) return { exitCode: null, timedOut: true };
  return { exitCode, timedOut: false };
}

/**
 * When the client stops waiting: after `timeout`'s own limit plus its kill grace plus a
 * margin when the command is wrapped; at the limit itself otherwise.
 */
export function clientDeadlineMs(timeoutMs: number, wrapped: boolean): number {
  return wrapped ? timeoutMs + KILL_GRACE_SECONDS * 1000 + 5000 : timeoutMs;
}

/**
 * A fixed shell script (no caller text is ever put into it): `$1` is the signal name, `$2`
 * the marker value. It signals every process whose environment holds the marker.
 */
export const KILL_BY_MARKER_SCRIPT = [
  "sig=$1; marker=" + EXEC_MARKER_VARIABLE + "=$2",
  "for d in /proc/[0-9]*; do",
  '  if tr "\\000" "\\n" < "$d/environ" 2>/dev/null | grep -qxF "$marker"; then',
  '    kill -s "$sig" "${d#/proc/}" 2>/dev/null',
  "  fi",
  "done",
  "exit 0",
].join("\n");

export function killByMarkerArgv(signal: "TERM" | "KILL", marker: string): string[] {
  return ["sh", "-c", KILL_BY_MARKER_SCRIPT, "photoferry-stop", signal, marker];
}

/**
 * Docker reports a process that could not be started (unknown user, missing program, no
 * permission) as exit status 126 with no process id, and puts the reason on the stream.
 */
export function execStartFailure(exitCode: number | null, pid: number | undefined): boolean {
  return exitCode === 126 && (pid === 0 || pid === undefined);
}

/**
 * Under the `timeout` wrapper a missing program is reported by `timeout` itself (status 127,
 * or 126 when it cannot be run) with a "failed to run command" line on stderr.
 */
export function wrappedStartFailure(exitCode: number | null, stderr: string): boolean {
  return (exitCode === 126 || exitCode === 127) && /^timeout: failed to run command/m.test(stderr);
}
