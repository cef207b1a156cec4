// PRODUCT / issue 5: "idle CPU of `serve` with nothing to do under 1%".
// Starts the built `photoferry serve` on a small world with nothing to ferry (one user, an
// empty InstantUpload, watcher on, the default cron), lets it settle, then reads the
// process's CPU time from /proc over BENCH_IDLE_SECONDS (default 10) of wall time.
// BENCH_BIN=<path to cli/bin.js> runs another build (e.g. a test's transpiled copy).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { printTable } from "./fixtures.mjs";

const LIMIT_PERCENT = 1;
const SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 10);
const bin = process.env.BENCH_BIN ?? join(import.meta.dirname, "../dist/cli/bin.js");
if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`npm run build\` first`);
if (!existsSync("/proc/self/stat")) {
  console.log("no /proc on this system: the idle CPU bench needs Linux; skipped");
  process.exit(0);
}

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of a process (all its threads), in seconds. */
function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name may hold spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

const root = mkdtempSync(join(tmpdir(), "photoferry-idle-"));
const dataDir = join(root, "data");
mkdirSync(join(dataDir, "anna", "files", "InstantUpload"), { recursive: true });
writeFileSync(join(dataDir, ".ocdata"), "");
mkdirSync(join(root, "import"));
const config = join(root, "photoferry.yaml");
writeFileSync(
  config,
  [
    "nextcloud:",
    `  dataDir: ${JSON.stringify(dataDir)}`,
    "  occ: { enabled: false }",
    "photoprism:",
    `  importDir: ${JSON.stringify(join(root, "import"))}`,
    "  trigger: none",
    `  files: { uid: ${process.getuid()}, gid: ${process.getgid()}, mode: "0644" }`,
    "schedule:",
    "  watch: true",
    "  cron: '*/15 * * * *'",
    "state:",
    `  dir: ${JSON.stringify(join(root, "state"))}`,
    "log:",
    "  level: warn",
  ].join("\n"),
);

const child = spawn(
  process.execPath,
  [bin, "serve", "--config", config, "--port", "0", "--host", "127.0.0.1"],
  {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, PHOTOFERRY_SECRETS_DIR: join(root, "no-secrets") },
  },
);
let stderr = "";
child.stderr.on("data", (chunk) => (stderr += chunk));
try {
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${stderr}`)), 60_000);
    child.stdout.on("data", (chunk) => {
      if (String(chunk).includes("serving on")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on("exit", (code) => reject(new Error(`serve exited ${code}:\n${stderr}`)));
  });
  // Start-up work (module loading, JIT, the first watcher scan) is not idling.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const before = cpuSeconds(child.pid);
  const started = process.hrtime.bigint();
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const used = cpuSeconds(child.pid) - before;
  const percent = (used / wall) * 100;
  printTable(
    ["measure", "value"],
    [
      ["start-up CPU (not counted)", `${(before * 1000).toFixed(0)} ms`],
      ["wall time", `${wall.toFixed(1)} s`],
      ["CPU time", `${(used * 1000).toFixed(0)} ms`],
      ["idle CPU", `${percent.toFixed(2)} %`],
      ["limit", `${LIMIT_PERCENT} %`],
    ],
  );
  if (percent >= LIMIT_PERCENT) {
    console.error(`✗ serve used ${percent.toFixed(2)} % CPU while idle (limit ${LIMIT_PERCENT} %)`);
    process.exitCode = 1;
  } else console.log(`✓ idle CPU ${percent.toFixed(2)} % < ${LIMIT_PERCENT} %`);
} finally {
  child.kill("SIGTERM");
  await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.on("exit", resolve)));
  rmSync(root, { recursive: true, force: true });
}
