import { Client, type ClientChannel } from "ssh2";
import { errorCode } from "../../errno.js";
import { RunnerError } from "../runner.js";
import { hostKeyFingerprint, hostKeyProblem } from "./host-key.js";

export interface SshConnectionSettings {
  host: string;
  port: number;
  username: string;
  /** Private key text (OpenSSH or PEM). */
  privateKey: string;
  /** Pinned `SHA256:…` fingerprint; without it every connection is refused. */
  hostKey?: string | null;
  /** Time allowed for TCP connect + handshake + authentication. */
  connectTimeoutMs?: number;
  /** Keepalive probes notice a dropped connection while idle. */
  keepaliveIntervalMs?: number;
}

/** One authenticated connection; per-connection facts are remembered on it. */
export interface SshSession {
  /** True once the connection has dropped or was ended. */
  readonly closed: boolean;
  exec(command: string): Promise<ClientChannel>;
  /** Whether the remote host has a `timeout` that understands `-k` (probed once). */
  hasTimeout(): Promise<boolean>;
}

const unreachableCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
]);

/**
 * Opens the SSH connection on first use and reuses it for every command; a connection that
 * dropped is replaced on the next use. The host key is checked against the pin before any
 * authentication is attempted.
 */
export class SshConnection {
  private current: Promise<Session> | undefined;

  constructor(private readonly settings: SshConnectionSettings) {}

  get where(): string {
    return `${this.settings.username}@${this.settings.host}:${this.settings.port}`;
  }

  session(): Promise<SshSession> {
    this.current ??= this.connect();
    const attempt = this.current;
    attempt.catch(() => {
      if (this.current === attempt) this.current = undefined;
    });
    return attempt;
  }

  async close(): Promise<void> {
    const attempt = this.current;
    this.current = undefined;
    const session = await attempt?.catch(() => undefined);
    await session?.end();
  }

  private connect(): Promise<Session> {
    const { settings } = this;
    return new Promise<Session>((resolve, reject) => {
      const client = new Client();
      let refusedKey: RunnerError | undefined;
      let ready = false;
      client.once("ready", () => {
        ready = true;
        resolve(new Session(client));
      });
      client.on("error", (error: Error & { level?: string }) => {
        if (!ready) reject(refusedKey ?? this.connectError(error));
      });
      client.once("close", () => {
        if (!ready) {
          reject(
            refusedKey ??
              new RunnerError(
                "daemon-unreachable",
                `the SSH connection to ${this.where} closed during login`,
                "check that an SSH server runs there and allows this user",
              ),
          );
        }
        // Dropped later: the next command connects again.
        void this.current?.then((session) => {
          if (session.client === client) this.current = undefined;
        });
      });
      try {
        client.connect({
          host: settings.host,
          port: settings.port,
          username: settings.username,
          privateKey: settings.privateKey,
          readyTimeout: settings.connectTimeoutMs ?? 20_000,
          keepaliveInterval: settings.keepaliveIntervalMs ?? 15_000,
          keepaliveCountMax: 3,
          hostVerifier: (key: Buffer) => {
            refusedKey = hostKeyProblem(hostKeyFingerprint(key), settings.hostKey, this.where);
            return refusedKey === undefined;
          },
        });
      } catch (error) {
        // ssh2 checks the private key synchronously.
        reject(
          new RunnerError(
            "auth-failed",
            `the SSH private key cannot be used: ${(error as Error).message}`,
            "give the private key itself (OpenSSH or PEM text, without a passphrase) in ssh.keyFile or PHOTOFERRY_SSH_KEY_FILE",
            { cause: error },
          ),
        );
      }
    });
  }

  private connectError(error: Error & { level?: string }): RunnerError {
    if (error.level === "client-authentication") {
      return new RunnerError(
        "auth-failed",
        `the SSH server ${this.where} refused photoferry's key`,
        `add photoferry's public key to ~${this.settings.username}/.ssh/authorized_keys on that host ` +
          "(`ssh-keygen -y -f <private key>` prints it), and check ssh.user",
        { cause: error },
      );
    }
    const code = errorCode(error);
    if (error.level === "client-timeout" || (code !== undefined && unreachableCodes.has(code))) {
      return new RunnerError(
        "daemon-unreachable",
        `cannot reach the SSH server ${this.where}: ${code ?? error.message}`,
        "check ssh.host and ssh.port, that the host is up and that its SSH server runs",
        { cause: error },
      );
    }
    return new RunnerError(
      "protocol",
      `SSH connection to ${this.where} failed: ${error.message}`,
      "check the SSH server's log on that host",
      { cause: error },
    );
  }
}

class Session implements SshSession {
  private timeoutProbe: Promise<boolean> | undefined;
  closed = false;
  constructor(readonly client: Client) {
    client.once("close", () => (this.closed = true));
  }

  exec(command: string): Promise<ClientChannel> {
    return new Promise((resolve, reject) => {
      this.client.exec(command, (error, channel) => {
        if (error) {
          reject(
            new RunnerError(
              "protocol",
              `the SSH server did not start the command: ${error.message}`,
              "check MaxSessions and the SSH server's log on that host",
              { cause: error },
            ),
          );
        } else resolve(channel);
      });
    });
  }

  hasTimeout(): Promise<boolean> {
    this.timeoutProbe ??= this.exec("timeout -k 1 10 true").then(
      (channel) =>
        new Promise<boolean>((resolve) => {
          let code: number | null = null;
          channel.on("exit", (exitCode: number | null) => (code = exitCode));
          channel.on("close", () => resolve(code === 0));
          channel.resume();
          channel.stderr.resume();
        }),
    );
    this.timeoutProbe.catch(() => (this.timeoutProbe = undefined));
    return this.timeoutProbe;
  }

  end(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = setTimeout(resolve, 2000);
      this.client.once("close", () => {
        clearTimeout(done);
        resolve();
      });
      this.client.end();
    });
  }
}
