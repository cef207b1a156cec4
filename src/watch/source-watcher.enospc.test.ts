/**
 * Provokes a real ENOSPC ("System limit for number of file watchers reached") without touching
 * the machine's settings: this file re-runs itself under `unshare --user --map-root-user`, and
 * in that fresh user namespace lowers `/proc/sys/user/max_inotify_watches`, a limit that
 * applies to that namespace only (the kernel checks it as well as the host-wide
 * `fs.inotify.max_user_watches`). Lowering the host-wide limit instead would make every other
 * process of the same user (other test runs, editors) fail while the test runs.
 * Skipped where user namespaces are not allowed (e.g. Docker's default seccomp profile).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SourceWatcher } from "./source-watcher.js";

const RESULT_ENV = "PHOTOFERRY_TEST_ENOSPC_RESULT";
const resultFile = process.env[RESULT_ENV];
const NAMESPACE_LIMIT = 40;
const LIMIT_FILE = "/proc/sys/user/max_inotify_watches";

interface ChildResult {
  limit: string;
  degraded: string[];
  state: string;
  stoppedState: string;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(command, args, { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", (error) => resolve({ code: null, output: output + String(error) }));
    child.on("close", (code) => resolve({ code, output }));
  });
}

describe.runIf(resultFile === undefined)("SourceWatcher and the real inotify limit", () => {
  it("degrades once, with the fix, when inotify watches run out", async (context) => {
    if (process.platform !== "linux") context.skip("inotify is Linux-only");
    const probe = spawnSync(
      "unshare",
      ["--user", "--map-root-user", "sh", "-c", `echo ${NAMESPACE_LIMIT} > ${LIMIT_FILE}`],
      { encoding: "utf8" },
    );
    if (probe.error || probe.status !== 0) {
      context.skip(`no user namespace with its own inotify limit: ${probe.stderr || probe.error}`);
    }
    const projectRoot = fileURLToPath(new URL("../../", import.meta.url));
    const vitest = join(projectRoot, "node_modules", "vitest", "vitest.mjs");
    if (!existsSync(vitest)) context.skip("vitest CLI not found");

    const scratch = mkdtempSync(join(tmpdir(), "photoferry-enospc-"));
    try {
      const file = join(scratch, "result.json");
      const env: NodeJS.ProcessEnv = { [RESULT_ENV]: file };
      for (const [name, value] of Object.entries(process.env)) {
        if (!/^(VITEST|TEST$|NODE_ENV$)/.test(name)) env[name] = value;
      }
      const thisFile = fileURLToPath(import.meta.url);
      const { code, output } = await run(
        "unshare",
        ["--user", "--map-root-user", process.execPath, vitest, "run", thisFile],
        env,
        projectRoot,
      );
      expect(code, output).toBe(0);
      const result = JSON.parse(readFileSync(file, "utf8")) as ChildResult;
      expect(result.limit).toBe(String(NAMESPACE_LIMIT));
      expect(result.degraded).toHaveLength(1);
      expect(result.degraded[0]).toMatch(/inotify watches/);
      expect(result.degraded[0]).toMatch(/fs\.inotify\.max_user_watches=524288/);
      expect(result.degraded[0]).toMatch(/schedule\.watch: false/);
      expect(result.state).toBe("degraded");
      expect(result.stoppedState).toBe("stopped");
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }, 120_000);
});

// Runs only in the child, inside the user namespace.
describe.runIf(resultFile !== undefined)("inside a user namespace with few inotify watches", () => {
  it("runs out of watches", async () => {
    writeFileSync(LIMIT_FILE, String(NAMESPACE_LIMIT));
    const limit = readFileSync(LIMIT_FILE, "utf8").trim();
    const dir = mkdtempSync(join(tmpdir(), "photoferry-enospc-child-"));
    try {
      for (let i = 0; i < NAMESPACE_LIMIT * 3; i++) {
        mkdirSync(join(dir, `folder-${i}`));
        writeFileSync(join(dir, `folder-${i}`, "IMG.jpg"), "x");
      }
      const degraded: string[] = [];
      const watcher = new SourceWatcher({
        roots: [dir],
        onPath: () => {},
        onDegraded: (reason) => degraded.push(reason),
      });
      await watcher.start();
      const state = watcher.status().state;
      await watcher.stop();
      const result: ChildResult = {
        limit,
        degraded,
        state,
        stoppedState: watcher.status().state,
      };
      writeFileSync(resultFile!, JSON.stringify(result));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
