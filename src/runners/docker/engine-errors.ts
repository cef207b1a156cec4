import { errorCode } from "../../errno.js";
import { RunnerError } from "../runner.js";

/** What the error mapping needs to know to give a useful hint. */
export interface EngineContext {
  /** e.g. "unix:///var/run/docker.sock" or "tcp://socket-proxy:2375". */
  engine: string;
  /** What photoferry was doing, e.g. "inspecting container nextcloud". */
  action: string;
}

const UNREACHABLE_CODES = new Set([
  "ENOENT",
  "ECONNREFUSED",
  "EACCES",
  "EPERM",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ESOCKETTIMEDOUT",
  "ECONNABORTED",
]);

export const PROXY_SWITCHES =
  "CONTAINERS=1, EXEC=1 and POST=1 (for Swarm also INFO=1, TASKS=1, NODES=1, SERVICES=1)";

/** The HTTP status an Engine API answer carried (dockerode puts it on the error), if any. */
export function statusCodeOf(error: unknown): number | undefined {
  if (typeof error === "object" && error !== null && "statusCode" in error) {
    return typeof error.statusCode === "number" ? error.statusCode : undefined;
  }
  return undefined;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Turns a failure talking to the Engine into a RunnerError with a plain-words hint.
 * Errors the caller already classified pass through unchanged. Status codes that mean
 * something specific for one call (404 on inspect = no such container) are the caller's
 * job; this handles what any call can meet.
 */
export function engineError(error: unknown, context: EngineContext): RunnerError {
  if (error instanceof RunnerError) return error;
  const code = errorCode(error);
  const status = statusCodeOf(error);
  const detail = messageOf(error).trim();
  if (code !== undefined && UNREACHABLE_CODES.has(code)) {
    // A socket photoferry may not open stays so: say it at once instead of retrying.
    const refused = code === "EACCES" || code === "EPERM";
    return new RunnerError(
      refused ? "auth-failed" : "daemon-unreachable",
      `Cannot reach the Docker engine at ${context.engine} while ${context.action} (${code})`,
      unreachableHint(code, context.engine),
      { cause: error },
    );
  }
  if (status === 403) {
    return new RunnerError(
      "exec-failed",
      `The Docker engine at ${context.engine} refused ${context.action} (HTTP 403): ${detail}`,
      `A docker-socket-proxy blocks this request. Turn on ${PROXY_SWITCHES} in the proxy's environment and restart it.`,
      { cause: error },
    );
  }
  if (
    status === undefined &&
    /socket hang up|ended by the other party|premature close/i.test(detail)
  ) {
    return new RunnerError(
      "daemon-unreachable",
      `The Docker engine at ${context.engine} dropped the connection while ${context.action}: ${detail}`,
      "The engine may be restarting; photoferry retries. If it keeps happening, check the Docker daemon's log.",
      { cause: error },
    );
  }
  return new RunnerError(
    "protocol",
    `Unexpected answer from the Docker engine at ${context.engine} while ${context.action}: ${detail}`,
    "Check the Docker daemon's log; if a socket proxy sits in between, check its log too.",
    { cause: error },
  );
}

function unreachableHint(code: string, engine: string): string {
  const viaSocket = engine.startsWith("unix://");
  if (viaSocket && code === "ENOENT") {
    return (
      `There is no Docker socket at ${engine.slice("unix://".length)}. Mount it into photoferry's ` +
      "container (-v /var/run/docker.sock:/var/run/docker.sock), or set docker.host to your " +
      "docker-socket-proxy, e.g. tcp://socket-proxy:2375."
    );
  }
  if (viaSocket && (code === "EACCES" || code === "EPERM")) {
    return (
      `photoferry's user may not open ${engine.slice("unix://".length)}. Give it the socket's group ` +
      "(group_add with the socket's gid), or better, reach Docker through a docker-socket-proxy."
    );
  }
  if (viaSocket) {
    return "The Docker daemon is not answering on its socket: is it running? photoferry retries.";
  }
  return (
    `Is the docker-socket-proxy running and reachable at ${engine}? It must be on a network ` +
    `shared with photoferry and allow ${PROXY_SWITCHES}. photoferry retries.`
  );
}
