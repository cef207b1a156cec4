import type { ClientChannel } from "ssh2";
import {
  RunnerError,
  type CommandResult,
  type CommandRunner,
  type CommandSpec,
  type RunOptions,
} from "../runner.js";
import { followChannel } from "./follow-channel.js";
import { remoteCommandLine, remoteStartFailure, type SshTarget } from "./remote-command.js";
import type { SshConnection, SshSession } from "./ssh-connection.js";

export interface SshRunnerOptions {
  target: SshTarget;
  /** Time between the TERM and KILL signal requests when a command is stopped. */
  killGraceMs?: number;
  /** Told once per user that cannot be switched to (a plain command runs as the SSH user). */
  onNotice?: (message: string) => void;
}

/** GNU timeout's exit status when it stopped the command (124), or had to KILL it (137). */
const remoteTimeoutStatuses = new Set([124, 137]);

/**
 * Runs commands on a host over SSH: through `docker exec` into a container there, or as
 * plain commands. The remote `timeout` bounds every command even if the connection is lost;
 * a local timer stops it on time through SSH signal requests (TERM, then KILL).
 */
export class SshRunner implements CommandRunner {
  readonly description: string;
  private readonly noticed = new Set<string>();
  private timeoutProbe: Promise<boolean> | undefined;

  constructor(
    private readonly connection: SshConnection,
    private readonly username: string,
    private readonly options: SshRunnerOptions,
  ) {
    const { target } = options;
    this.description =
      target.kind === "docker-exec"
        ? `ssh ${connection.where}, docker container ${target.container}`
        : `ssh ${connection.where}`;
  }

  run(spec: CommandSpec, options: RunOptions): Promise<CommandResult> {
    return this.runCommand(spec, options, false);
  }

  /**
   * Asked once per runner (one container): can a timeout stop the command inside it? The
   * probe's own failure (no `timeout` there) just means no.
   */
  private containerHasTimeout(): Promise<boolean> {
    if (this.options.target.kind !== "docker-exec") return Promise.resolve(false);
    this.timeoutProbe ??= this.runCommand(
      { argv: ["timeout", "-k", "1", "1", "true"] },
      { timeoutMs: 15_000 },
      true,
    ).then(
      (result) => result.exitCode === 0,
      () => {
        // Not remembered: the container may be missing or restarting right now.
        this.timeoutProbe = undefined;
        return false;
      },
    );
    return this.timeoutProbe;
  }

  private async runCommand(
    spec: CommandSpec,
    options: RunOptions,
    probe: boolean,
  ): Promise<CommandResult> {
    const program = spec.argv[0];
    if (program === undefined || program === "") {
      throw new RunnerError("exec-failed", "the command is empty", "give the program to run");
    }
    const started = Date.now();
    if (options.signal?.aborted) return stopped(started, false);
    const inContainer = probe ? false : await this.containerHasTimeout();
    const session = await this.connection.session();
    const limitRemotely = await session.hasTimeout();
    const line = remoteCommandLine(
      this.withoutUnsupportedUser(spec),
      this.options.target,
      limitRemotely || inContainer ? options.timeoutMs / 1000 : undefined,
      inContainer,
    );
    if (options.signal?.aborted) return stopped(started, false);
    const remote = await this.exec(session, line);
    const grace = this.options.killGraceMs ?? 5000;
    const outcome = await followChannel(remote.channel, remote.session, options, grace);
    const durationMs = Date.now() - started;
    const base = { stdout: outcome.stdout, stderr: outcome.stderr, durationMs };
    if (outcome.stoppedBy !== undefined) {
      return { ...base, exitCode: null, timedOut: outcome.stoppedBy === "timeout" };
    }
    if (outcome.exit === undefined) {
      throw new RunnerError(
        "daemon-unreachable",
        `the SSH connection to ${this.connection.where} was lost while "${program}" ran`,
        "check the network and the host; the command is stopped there by its timeout",
      );
    }
    const exitCode = outcome.exit.code;
    if (
      (limitRemotely || inContainer) &&
      exitCode !== null &&
      remoteTimeoutStatuses.has(exitCode) &&
      durationMs >= options.timeoutMs
    ) {
      return { ...base, exitCode: null, timedOut: true };
    }
    const failure = remoteStartFailure(this.options.target, exitCode, outcome.stderr, program);
    if (failure) throw failure;
    return { ...base, exitCode, timedOut: false };
  }

  close(): Promise<void> {
    return this.connection.close();
  }

  /** A dropped connection shows up only when used: then connect again, once. */
  private async exec(
    session: SshSession,
    line: string,
  ): Promise<{ channel: ClientChannel; session: SshSession }> {
    try {
      return { channel: await session.exec(line), session };
    } catch (error) {
      if (!session.closed) throw error;
      const fresh = await this.connection.session();
      return { channel: await fresh.exec(line), session: fresh };
    }
  }

  private withoutUnsupportedUser(spec: CommandSpec): CommandSpec {
    if (this.options.target.kind !== "host" || spec.user === undefined) return spec;
    if (spec.user !== this.username && !this.noticed.has(spec.user)) {
      this.noticed.add(spec.user);
      this.options.onNotice?.(
        `over SSH without a container, commands run as the SSH user "${this.username}": ` +
          `they cannot switch to user "${spec.user}" (set ssh.user to that user, or run them in a container)`,
      );
    }
    return { ...spec, user: undefined };
  }
}

function stopped(started: number, timedOut: boolean): CommandResult {
  return { exitCode: null, stdout: "", stderr: "", durationMs: Date.now() - started, timedOut };
}
