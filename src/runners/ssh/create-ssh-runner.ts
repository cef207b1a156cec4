import type { PhotoferryConfig } from "../../config/resolve-config.js";
import { RunnerError } from "../runner.js";
import type { SshTarget } from "./remote-command.js";
import { SshConnection } from "./ssh-connection.js";
import { SshRunner } from "./ssh-runner.js";

export interface SshTargetSettings {
  /** Container on the SSH host to `docker exec` into; null runs the command on the host itself. */
  container: string | null;
  /** The docker client's argv on that host; default `["docker"]`. */
  docker?: readonly string[];
}

export interface CreateSshRunnerOptions {
  onNotice?: (message: string) => void;
  killGraceMs?: number;
  connectTimeoutMs?: number;
  keepaliveIntervalMs?: number;
}

export function sshTarget(settings: SshTargetSettings): SshTarget {
  return settings.container === null
    ? { kind: "host" }
    : { kind: "docker-exec", container: settings.container, docker: settings.docker };
}

/**
 * An SSH runner from the resolved `ssh:` config (the key already read from wherever it was
 * given) and what to run the commands in. Nothing connects until the first command.
 */
export function createSshRunner(
  ssh: Pick<PhotoferryConfig["ssh"], "host" | "port" | "user" | "key" | "hostKey">,
  target: SshTargetSettings,
  options: CreateSshRunnerOptions = {},
): SshRunner {
  if (ssh.host === undefined) {
    throw new RunnerError(
      "target-missing",
      "no SSH host is configured",
      "set `ssh.host`, e.g. `nas.local`",
    );
  }
  if (ssh.key === null || ssh.key === undefined) {
    throw new RunnerError(
      "auth-failed",
      "no SSH private key is configured",
      "set `ssh.keyFile` or PHOTOFERRY_SSH_KEY_FILE to the private key's file",
    );
  }
  const connection = new SshConnection({
    host: ssh.host,
    port: ssh.port,
    username: ssh.user,
    privateKey: ssh.key,
    hostKey: ssh.hostKey,
    connectTimeoutMs: options.connectTimeoutMs,
    keepaliveIntervalMs: options.keepaliveIntervalMs,
  });
  return new SshRunner(connection, ssh.user, {
    target: sshTarget(target),
    killGraceMs: options.killGraceMs,
    onNotice: options.onNotice,
  });
}
