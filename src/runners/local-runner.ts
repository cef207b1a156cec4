import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { userInfo } from "node:os";
import { errorCode } from "../errno.js";
import {
  MAX_CAPTURED_OUTPUT_BYTES,
  RunnerError,
  type CommandResult,
  type CommandRunner,
  type CommandSpec,
  type RunOptions,
} from "./runner.js";

/**
 * Keeps the last `limit` bytes of a stream. Decoded once at the end, so a UTF-8 character
 * split across chunks stays whole; a character cut by the limit itself is dropped.
 */
export class OutputTail {
  private chunks: Buffer[] = [];
  private size = 0;
  private cut = false;
  constructor(private readonly limit = MAX_CAPTURED_OUTPUT_BYTES) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.chunks.length > 1 && this.size - this.chunks[0]!.length >= this.limit) {
      this.size -= this.chunks.shift()!.length;
      this.cut = true;
    }
  }

  text(): string {
    const all = Buffer.concat(this.chunks);
    if (all.length <= this.limit && !this.cut) return all.toString("utf8");
    let start = Math.max(0, all.length - this.limit);
    // Skip continuation bytes (10xxxxxx) of a character whose first byte was cut off.
    for (let i = 0; i < 3 && ((all[start] ?? 0) & 0xc0) === 0x80; i++) start++;
    return all.subarray(start).toString("utf8");
  }
}

export interface RunAs {
  uid: number;
  gid: number;
}

const numeric = /^\d+$/;

/** `33`, `33:33`, `www-data`, `www-data:www-data` → ids, from passwd/group file text. */
export function resolveRunAs(user: string, passwd: string, group: string): RunAs {
  const [userPart = "", groupPart] = user.split(":", 2);
  const users = parseColonFile(passwd);
  const entry = numeric.test(userPart)
    ? users.find((fields) => fields[2] === userPart)
    : users.find((fields) => fields[0] === userPart);
  if (!numeric.test(userPart) && !entry) {
    throw new RunnerError(
      "exec-failed",
      `there is no user "${userPart}" on this machine`,
      "create that user, or give a numeric uid (for example `33`, or `33:33` with the group)",
    );
  }
  const uid = Number(entry?.[2] ?? userPart);
  // A numeric uid without a passwd entry (common for container ids) gets the same gid.
  let gid = Number(entry?.[3] ?? uid);
  if (groupPart !== undefined) {
    const found = numeric.test(groupPart)
      ? groupPart
      : parseColonFile(group).find((fields) => fields[0] === groupPart)?.[2];
    if (found === undefined) {
      throw new RunnerError(
        "exec-failed",
        `there is no group "${groupPart}" on this machine`,
        "create that group, or give a numeric gid (for example `33:33`)",
      );
    }
    gid = Number(found);
  }
  return { uid, gid };
}

function parseColonFile(text: string): string[][] {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.startsWith("#"))
    .map((line) => line.split(":"));
}

export interface LocalRunnerOptions {
  /** Time between SIGTERM and SIGKILL when a command is stopped. */
  killGraceMs?: number;
  /** Told once per user that cannot be switched to (photoferry not running as root). */
  onNotice?: (message: string) => void;
  passwdFile?: string;
  groupFile?: string;
}

/** Runs commands as child processes of photoferry, never through a shell. */
export class LocalRunner implements CommandRunner {
  private readonly noticed = new Set<string>();
  private readonly killGraceMs: number;
  private note = "";

  constructor(private readonly options: LocalRunnerOptions = {}) {
    this.killGraceMs = options.killGraceMs ?? 3000;
  }

  get description(): string {
    return `local programs${this.note}`;
  }

  async run(spec: CommandSpec, options: RunOptions): Promise<CommandResult> {
    const [program, ...args] = spec.argv;
    if (program === undefined || program === "") {
      throw new RunnerError("exec-failed", "the command is empty", "give the program to run");
    }
    const runAs = spec.user === undefined ? undefined : this.runAs(spec.user);
    const started = Date.now();
    if (options.signal?.aborted) return stoppedResult(started, false);
    const child = spawn(program, args, {
      shell: false,
      detached: true, // own process group, so a stop reaches grandchildren too
      cwd: spec.workingDir,
      env: { ...inheritedEnvironment(process.env), ...spec.env },
      stdio: ["ignore", "pipe", "pipe"],
      ...runAs,
    });
    const stdout = new OutputTail();
    const stderr = new OutputTail();
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    let stoppedBy: "timeout" | "abort" | undefined;
    const stop = (reason: "timeout" | "abort"): void => {
      if (stoppedBy !== undefined || child.pid === undefined) return;
      stoppedBy = reason;
      void stopProcessGroup(child.pid, this.killGraceMs).then(() => {
        // Something outside the group may still hold the pipes open; stop waiting for it.
        setTimeout(() => releasePipes(child), 500).unref();
      });
    };
    const timer = setTimeout(() => stop("timeout"), options.timeoutMs);
    const onAbort = (): void => stop("abort");
    options.signal?.addEventListener("abort", onAbort, { once: true });
    child.once("exit", () => {
      // A background grandchild holding stdout would keep `close` from ever coming.
      if (stoppedBy === undefined) setTimeout(() => releasePipes(child), 1000).unref();
    });
    try {
      const exitCode = await new Promise<number | null>((resolve, reject) => {
        child.once("error", (error) => {
          if (child.pid === undefined) reject(spawnError(error, program, spec.workingDir));
        });
        child.once("close", (code) => resolve(code));
      });
      return {
        exitCode: stoppedBy === undefined ? exitCode : null,
        stdout: stdout.text(),
        stderr: stderr.text(),
        durationMs: Date.now() - started,
        timedOut: stoppedBy === "timeout",
      };
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private runAs(user: string): RunAs | undefined {
    const read = (path: string): string => (existsSync(path) ? readFileSync(path, "utf8") : "");
    const passwd = read(this.options.passwdFile ?? "/etc/passwd");
    const group = read(this.options.groupFile ?? "/etc/group");
    if (process.getuid?.() === 0) return resolveRunAs(user, passwd, group);
    const current = userInfo();
    if (user === current.username || user === String(current.uid)) return undefined;
    if (!this.noticed.has(user)) {
      this.noticed.add(user);
      const message =
        `photoferry is not running as root, so it cannot switch to user "${user}": ` +
        `commands run as ${current.username} (uid ${current.uid}) instead`;
      this.note = ` (as ${current.username}: cannot switch to "${user}" without root)`;
      this.options.onNotice?.(message);
    }
    return undefined;
  }
}

export function createLocalRunner(options?: LocalRunnerOptions): LocalRunner {
  return new LocalRunner(options);
}

function stoppedResult(started: number, timedOut: boolean): CommandResult {
  return { exitCode: null, stdout: "", stderr: "", durationMs: Date.now() - started, timedOut };
}

function releasePipes(child: ReturnType<typeof spawn>): void {
  child.stdout?.destroy();
  child.stderr?.destroy();
}

/** SIGTERM to the whole group, then SIGKILL once the grace has passed and any of it is left. */
async function stopProcessGroup(pgid: number, graceMs: number): Promise<void> {
  if (!signalGroup(pgid, "SIGTERM")) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    if (!signalGroup(pgid, 0)) return;
  }
  signalGroup(pgid, "SIGKILL");
}

/** false when no process of the group is left. */
function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    return errorCode(error) !== "ESRCH";
  }
}

function spawnError(error: Error, program: string, workingDir: string | undefined): RunnerError {
  const code = errorCode(error);
  if (code === "ENOENT" && workingDir !== undefined && !existsSync(workingDir)) {
    return new RunnerError(
      "exec-failed",
      `the working directory ${workingDir} does not exist`,
      "create the folder or correct the configured working directory",
      { cause: error },
    );
  }
  if (code === "ENOENT") {
    return new RunnerError(
      "target-missing",
      `the program "${program}" was not found`,
      "install it, give its full path in the configured command, or add its folder to PATH",
      { cause: error },
    );
  }
  if (code === "EACCES") {
    return new RunnerError(
      "exec-failed",
      `the program "${program}" could not be started: permission denied`,
      "make it executable (chmod +x) and readable by the user it runs as",
      { cause: error },
    );
  }
  return new RunnerError(
    "exec-failed",
    `"${program}" could not be started: ${error.message}`,
    "check the configured command",
    { cause: error },
  );
}

/**
 * photoferry's own settings and secrets (`PHOTOFERRY_PHOTOPRISM_TOKEN`, `…_FILE`, …) stay
 * with photoferry: occ and photoprism have no use for them, and a child may log its
 * environment.
 */
export function inheritedEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).filter(([name]) => !name.startsWith("PHOTOFERRY_")),
  );
}
