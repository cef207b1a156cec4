import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";

export const DOCKERD_PATH = "/usr/sbin/dockerd";
const DEAD_PROXY = "http://127.0.0.1:9";

/** A private Docker Engine started for tests: its own socket, data and exec roots. */
export interface TestDockerEngine {
  socketPath: string;
  /** `unix:///…/docker.sock`, the form photoferry's `docker.host` takes. */
  host: string;
  docker: Docker;
  /** Environment for the `docker` CLI pointed at this engine. */
  cliEnv: NodeJS.ProcessEnv;
  /** The daemon's log so far (for failure messages). */
  log(): string;
  /** Stops the daemon (SIGTERM, then SIGKILL) and removes its directories. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Why the real-Docker tests cannot run here, or null when they can. Tests call this and
 * skip loudly: the engine needs root (namespaces, mounts) and Debian's `docker.io`.
 */
export function dockerUnavailableReason(): string | null {
  if (process.getuid?.() !== 0) return "not running as root (dockerd needs root)";
  if (!existsSync(DOCKERD_PATH)) return `${DOCKERD_PATH} is missing (apt-get install docker.io)`;
  if (!existsSync("/usr/bin/docker"))
    return "/usr/bin/docker is missing (apt-get install docker.io)";
  return null;
}

/**
 * `docker service ps` arguments printing the state of a Swarm service's task that should be
 * running, and its error: "Running 5 seconds ago", "Pending … no suitable node (…)".
 */
export const serviceStateArgs = (service: string): string[] => [
  "service",
  "ps",
  service,
  "--filter",
  "desired-state=running",
  "--format",
  "{{.CurrentState}} {{.Error}}",
];

/** The storage drivers tried in order, or the one PHOTOFERRY_TEST_STORAGE_DRIVER names. */
export function storageDriverCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const chosen = env.PHOTOFERRY_TEST_STORAGE_DRIVER?.trim();
  // overlay2 shares image layers between containers and build steps; vfs copies the whole
  // root filesystem for each (a cold image build: 10-16 min on vfs, ~3 on overlay2). vfs
  // is the fallback for where overlayfs cannot be mounted (e.g. dockerd inside an
  // unprivileged container, or a temp dir on overlayfs itself).
  return chosen ? [chosen] : ["overlay2", "vfs"];
}

/**
 * Starts Debian's dockerd on a private unix socket under a fresh temp dir (no iptables, no
 * bridge: works inside a container without privileges beyond root) and waits until
 * `/_ping` answers. The default /var/run/docker.sock is never touched.
 */
export async function startDockerEngine(
  options: { readyTimeoutMs?: number } = {},
): Promise<TestDockerEngine> {
  const failures: string[] = [];
  for (const driver of storageDriverCandidates()) {
    try {
      return await startDockerEngineWith(driver, options.readyTimeoutMs ?? 60_000);
    } catch (error) {
      failures.push(`${driver}: ${String(error)}`);
    }
  }
  throw new Error(failures.join("\n"));
}

async function startDockerEngineWith(
  storageDriver: string,
  readyTimeoutMs: number,
): Promise<TestDockerEngine> {
  // Short prefix: the socket path must stay under the 108-byte unix socket limit.
  const dir = mkdtempSync(join(tmpdir(), "pfd-"));
  const socketPath = join(dir, "docker.sock");
  const logPath = join(dir, "dockerd.log");
  const logFd = openSync(logPath, "a");
  const daemon = spawn(
    DOCKERD_PATH,
    [
      `--storage-driver=${storageDriver}`,
      "--iptables=false",
      "--ip6tables=false",
      "--bridge=none",
      `--host=unix://${socketPath}`,
      `--data-root=${join(dir, "data")}`,
      `--exec-root=${join(dir, "exec")}`,
      `--pidfile=${join(dir, "docker.pid")}`,
      // Containers whose PID 1 ignores SIGTERM would otherwise hold up stop() for 10 s.
      "--shutdown-timeout=2",
    ],
    {
      stdio: ["ignore", logFd, logFd],
      // No registry is reachable from tests. A proxy on a closed port makes every pull
      // (Swarm tries one before each task start) fail at once instead of after ~20 s.
      env: { ...process.env, HTTP_PROXY: DEAD_PROXY, HTTPS_PROXY: DEAD_PROXY, NO_PROXY: "" },
    },
  );
  closeSync(logFd);
  const log = (): string => readFileSync(logPath, "utf8");
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await leaveSwarm(socketPath);
    await stopProcess(daemon, 20_000);
    unmountUnder(dir);
    // vfs keeps a full copy of the image per container: hundreds of thousands of files
    // that take a minute to delete. Nothing needs them gone now, so delete in background
    // (overlay2's layer mounts are gone with the daemon; unmountUnder catches stragglers).
    spawn("rm", ["-rf", dir], { detached: true, stdio: "ignore" }).unref();
  };
  try {
    await waitForPing(socketPath, daemon, readyTimeoutMs);
  } catch (error) {
    const tail = log().slice(-3000);
    await stop();
    throw new Error(`dockerd did not start: ${String(error)}\n--- dockerd log ---\n${tail}`);
  }
  return {
    socketPath,
    host: `unix://${socketPath}`,
    docker: new Docker({ socketPath }),
    cliEnv: { ...process.env, DOCKER_HOST: `unix://${socketPath}` },
    log,
    stop,
  };
}

async function waitForPing(socketPath: string, daemon: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (daemon.exitCode !== null || daemon.signalCode !== null) {
      throw new Error(`dockerd exited (${daemon.exitCode ?? daemon.signalCode})`);
    }
    if (await ping(socketPath)) return;
    if (Date.now() > deadline) throw new Error(`no answer on ${socketPath} in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * A daemon in a Swarm takes ~40 s to shut down; leaving first (forced: it is the only
 * manager) makes it quick. Errors mean there was no Swarm or no daemon.
 */
function leaveSwarm(socketPath: string): Promise<void> {
  return new Promise((resolve) => {
    const req = request(
      { socketPath, path: "/swarm/leave?force=1", method: "POST", timeout: 20_000 },
      (res) => {
        res.resume();
        res.on("end", resolve);
      },
    );
    req.on("error", () => resolve());
    req.on("timeout", () => req.destroy());
    req.end();
  });
}

function ping(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: "/_ping", timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => req.destroy());
    req.end();
  });
}

/** Swarm leaves network-namespace bind mounts under the exec root; rm cannot delete those. */
function unmountUnder(dir: string): void {
  const mountPoints = readFileSync("/proc/mounts", "utf8")
    .split("\n")
    .map((line) => line.split(" ")[1] ?? "")
    .filter((path) => path.startsWith(`${dir}/`))
    .reverse();
  for (const path of mountPoints) spawnSync("umount", ["-l", path], { stdio: "ignore" });
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
export function stopProcess(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
