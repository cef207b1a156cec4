import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const SSHD_PROGRAM = "/usr/sbin/sshd";

/** Why a real sshd cannot run here, or undefined when it can (tests skip loudly otherwise). */
export function sshdUnavailableReason(): string | undefined {
  if (!existsSync(SSHD_PROGRAM))
    return `${SSHD_PROGRAM} is missing (apt-get install openssh-server)`;
  if (process.getuid?.() !== 0) return "sshd tests need root (sshd switches users)";
  return undefined;
}

export interface TestSshd {
  port: number;
  /** The login user: the current one (root), so remote commands can run this machine's node. */
  user: string;
  /** Private key text accepted by the server. */
  clientKey: string;
  /** A well-formed private key the server does not know. */
  strangerKey: string;
  /** Accepted too, but its sessions get a PATH without `timeout` (for the fallback). */
  noTimeoutKey: string;
  /** The server's host key fingerprint, as `ssh-keygen -lf` prints it (`SHA256:…`). */
  hostKeyFingerprint: string;
  /** A fingerprint of another host key (for mismatch tests). */
  otherFingerprint: string;
  dir: string;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (nothing listens there once this returns). */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

function keygen(path: string): string {
  execFileSync("ssh-keygen", [
    "-q",
    "-t",
    "ed25519",
    "-N",
    "",
    "-C",
    "photoferry-test",
    "-f",
    path,
  ]);
  return execFileSync("ssh-keygen", ["-lf", path], { encoding: "utf8" }).split(" ")[1] ?? "";
}

/**
 * Starts a real OpenSSH server on a random loopback port with throw-away keys, in the
 * foreground (`-D -e`) so stopping it is killing one process.
 */
export async function startTestSshd(): Promise<TestSshd> {
  const dir = mkdtempSync(join(tmpdir(), "photoferry-sshd-"));
  mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  const hostKeyFingerprint = keygen(join(dir, "host_key"));
  const otherFingerprint = keygen(join(dir, "other_host_key"));
  keygen(join(dir, "client_key"));
  keygen(join(dir, "stranger_key"));
  keygen(join(dir, "no_timeout_key"));
  mkdirSync(join(dir, "empty-bin"));
  writeFileSync(
    join(dir, "authorized_keys"),
    readFileSync(join(dir, "client_key.pub"), "utf8") +
      `environment="PATH=${join(dir, "empty-bin")}" ` +
      readFileSync(join(dir, "no_timeout_key.pub"), "utf8"),
  );
  const port = await freeLoopbackPort();
  const config = join(dir, "sshd_config");
  writeFileSync(
    config,
    [
      `ListenAddress 127.0.0.1:${port}`,
      `HostKey ${join(dir, "host_key")}`,
      `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
      `PidFile ${join(dir, "sshd.pid")}`,
      "StrictModes no",
      "PermitUserEnvironment PATH",
      "UsePAM no",
      "PermitRootLogin prohibit-password",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "LogLevel VERBOSE",
      "",
    ].join("\n"),
  );
  const child = spawn(SSHD_PROGRAM, ["-D", "-e", "-f", config], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    log += chunk.toString("utf8");
    if (process.env.PF_SSHD_LOG) process.stderr.write(chunk);
  });
  try {
    await waitForPort(port, child, () => log);
  } catch (error) {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    user: execFileSync("id", ["-un"], { encoding: "utf8" }).trim(),
    clientKey: readFileSync(join(dir, "client_key"), "utf8"),
    strangerKey: readFileSync(join(dir, "stranger_key"), "utf8"),
    noTimeoutKey: readFileSync(join(dir, "no_timeout_key"), "utf8"),
    hostKeyFingerprint,
    otherFingerprint,
    dir,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sshd exited at start:\n${log()}`);
    if (await answers(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`sshd did not listen on ${port} within 10 s:\n${log()}`);
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
