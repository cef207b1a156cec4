// PRODUCT.md §7: "a reconcile pass over an unchanged tree of 100,000 files close to the cost of
// `find` over it and reading no file contents".
// Builds 100,000 small files in 1,000 leaf folders (BENCH_SCALE=0.1 for 10,000 in 100), then
// times, from the page cache: `find -printf '%s %T@\n'` (which lstats every file), a first full
// reconcileScan (empty index), and the pass that matters: an unchanged tree with a filled index.
// Every fs open/read call is counted during the scans and must stay at zero.
import { spawnSync } from "node:child_process";
import fs, { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import fsp, { open as openViaNamedExport } from "node:fs/promises";
import { syncBuiltinESMExports } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { benchScale, bestOf, printTable } from "./fixtures.mjs";

const TARGET_RATIO = 3; // unchanged-tree pass: at most 3x find's time
const AIM_RATIO = 1;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
if (!Number.isSafeInteger(ROUNDS) || ROUNDS < 1) {
  throw new Error(`BENCH_ROUNDS must be a whole number of at least 1: ${process.env.BENCH_ROUNDS}`);
}

// --- Count every way node could open or read a file, before the scanner is loaded. ---------
const contentAccess = { count: 0, counting: false, calls: new Set() };
function countCalls(target, names, label) {
  for (const name of names) {
    const original = target[name];
    target[name] = function (...args) {
      if (contentAccess.counting) {
        contentAccess.count++;
        contentAccess.calls.add(`${label}.${name}`);
      }
      return original.apply(this, args);
    };
  }
}
countCalls(
  fs,
  [
    "open",
    "openSync",
    "read",
    "readSync",
    "readFile",
    "readFileSync",
    "createReadStream",
    "opendir",
    "opendirSync",
  ],
  "fs",
);
countCalls(fsp, ["open", "readFile", "opendir"], "fs/promises");
syncBuiltinESMExports(); // so `import { open } from "node:fs/promises"` sees the counters too

async function importBuilt(module) {
  try {
    return await import(pathToFileURL(join(import.meta.dirname, "../dist/scan", module)).href);
  } catch (error) {
    if (error?.code === "ERR_MODULE_NOT_FOUND") {
      throw new Error(`dist/scan/${module} is missing: run \`npm run build\` first`, {
        cause: error,
      });
    }
    throw error;
  }
}
const { reconcileScan } = await importBuilt("reconcile-scan.js");
const { MemoryDirIndex } = await importBuilt("dir-index.js");
const { nodeScanFs, nodeSyncScanFs } = await importBuilt("scan-fs.js");

// --- The tree: y*/m*/d* leaf folders of 100 files each. --------------------------------------
const scale = benchScale();
const leafDirs = Math.max(1, Math.round(1000 * scale));
const filesPerDir = 100;
const totalFiles = leafDirs * filesPerDir;

const root = mkdtempSync(join(tmpdir(), "photoferry-bench-scan-"));
const cleanup = () => rmSync(root, { recursive: true, force: true });
const onSignal = () => {
  cleanup();
  process.exit(130);
};
process.once("SIGINT", onSignal);
process.once("SIGTERM", onSignal);

function leafPath(i) {
  return join(root, `y${Math.floor(i / 100)}`, `m${Math.floor(i / 10) % 10}`, `d${i % 10}`);
}

/** A ScanFs that counts its calls. */
function counted(base) {
  const calls = { readdir: 0, lstat: 0 };
  return {
    calls,
    fs: {
      readdir: (path) => (calls.readdir++, base.readdir(path)),
      lstat: (path) => (calls.lstat++, base.lstat(path)),
    },
  };
}

const ignoreHiddenAndPartial = (entry) => {
  const name = entry.relativePath.slice(entry.relativePath.lastIndexOf("/") + 1);
  if (name.startsWith(".")) return "hidden";
  if (name.endsWith(".part")) return "upload in progress";
  return null;
};
const trustedClock = () => Date.now() + 10_000; // the 2 s trust rule, without waiting

async function scanOnce({ index, fs, now }) {
  const scan = reconcileScan(root, { index, fs, now, ignore: ignoreHiddenAndPartial });
  let files = 0;
  contentAccess.counting = true;
  try {
    for await (const file of scan) if (file.size >= 0) files++;
  } finally {
    contentAccess.counting = false;
  }
  return { files, summary: scan.summary };
}

function find() {
  const devNull = openSync("/dev/null", "w");
  try {
    const result = spawnSync("find", [root, "-printf", "%s %T@\\n"], {
      stdio: ["ignore", devNull, "inherit"],
    });
    if (result.status !== 0) throw new Error(`find failed: ${result.status ?? result.signal}`);
  } finally {
    closeSync(devNull);
  }
}

const problems = [];
function check(condition, message) {
  if (!condition) problems.push(message);
}

try {
  const buildStart = process.hrtime.bigint();
  for (let d = 0; d < leafDirs; d++) {
    const dir = leafPath(d);
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < filesPerDir; f++) {
      writeFileSync(join(dir, `IMG_${String(f).padStart(4, "0")}.jpg`), `photo ${d}/${f}`);
    }
  }
  const buildSeconds = Number(process.hrtime.bigint() - buildStart) / 1e9;

  // The instrumentation must see a named-export open, or "zero opens" would prove nothing.
  contentAccess.counting = true;
  await (await openViaNamedExport(join(leafPath(0), "IMG_0000.jpg"))).close();
  contentAccess.counting = false;
  check(contentAccess.count === 1, "the open() counter does not work");
  contentAccess.count = 0;
  contentAccess.calls.clear();

  find(); // warm the inode and dentry caches for everyone

  const filled = new MemoryDirIndex();
  const firstFill = await scanOnce({ index: filled, fs: nodeSyncScanFs, now: trustedClock });
  const totalDirs = filled.size;
  check(firstFill.files === totalFiles, `first scan reported ${firstFill.files} of ${totalFiles}`);
  console.log(
    `scan: ${totalFiles} files in ${totalDirs} folders (${leafDirs} leaves) under ${tmpdir()}, ` +
      `built in ${buildSeconds.toFixed(1)} s; page cache warm; best of ${ROUNDS} rounds`,
  );

  const delay = monitorEventLoopDelay({ resolution: 1 });
  const maxDelayMs = new Map();
  const measurements = [
    { name: "find -printf '%s %T@\\n' (baseline)", run: find },
    ...[
      ["async", nodeScanFs],
      ["sync", nodeSyncScanFs],
    ].flatMap(([kind, base]) => [
      {
        name: `reconcileScan, first scan (empty index), ${kind} fs`,
        run: async () => {
          const spy = counted(base);
          delay.reset();
          delay.enable();
          const { files, summary } = await scanOnce({ index: new MemoryDirIndex(), fs: spy.fs });
          delay.disable();
          const key = `first ${kind}`;
          maxDelayMs.set(key, Math.max(maxDelayMs.get(key) ?? 0, delay.max / 1e6));
          check(files === totalFiles, `first ${kind} scan: ${files} files`);
          check(summary.dirsRead === totalDirs, `first ${kind} scan read ${summary.dirsRead}`);
        },
      },
      {
        name: `reconcileScan, unchanged tree, ${kind} fs`,
        target: true,
        run: async () => {
          const spy = counted(base);
          const { files, summary } = await scanOnce({
            index: filled,
            fs: spy.fs,
            now: trustedClock,
          });
          check(files === 0, `unchanged ${kind} scan reported ${files} files`);
          check(spy.calls.readdir === 0, `unchanged ${kind} scan: ${spy.calls.readdir} readdirs`);
          check(spy.calls.lstat === totalDirs, `unchanged ${kind}: ${spy.calls.lstat} lstats`);
          check(summary.dirsSkipped === totalDirs, `unchanged ${kind}: ${summary.dirsSkipped}`);
        },
      },
    ]),
  ];
  const best = measurements.map(() => Infinity);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, { run }] of measurements.entries()) {
      best[i] = Math.min(best[i], await bestOf(1, run));
    }
  }

  // One new photo deep in the tree: only its folder is read again.
  const deep = leafPath(Math.floor(leafDirs / 2));
  writeFileSync(join(deep, "IMG_NEW.jpg"), "new photo");
  const spy = counted(nodeScanFs);
  let newFileSeconds = 0;
  let newFile;
  newFileSeconds = await bestOf(1, async () => {
    newFile = await scanOnce({ index: filled, fs: spy.fs, now: trustedClock });
  });
  check(spy.calls.readdir === 1, `after adding one file: ${spy.calls.readdir} readdirs`);
  check(newFile.files === filesPerDir + 1, `after adding one file: ${newFile.files} reported`);

  const findSeconds = best[0];
  let missed = false;
  printTable(
    ["", "seconds", "x find", "target"],
    [
      ...measurements.map(({ name, target }, i) => {
        const ratio = best[i] / findSeconds;
        let verdict = "";
        if (target) {
          missed ||= ratio > TARGET_RATIO;
          verdict =
            ratio > TARGET_RATIO ? "MISSED" : ratio < AIM_RATIO ? "met (< aim)" : "met (> aim)";
        }
        return [name, best[i].toFixed(4), `${ratio.toFixed(2)}x`, verdict];
      }),
      [
        "reconcileScan, one new file in a leaf folder, async fs (1 run)",
        newFileSeconds.toFixed(4),
        `${(newFileSeconds / findSeconds).toFixed(2)}x`,
        "",
      ],
    ],
  );
  console.log(
    `event loop: longest stall during a first scan: async fs ${maxDelayMs.get("first async")?.toFixed(1)} ms, ` +
      `sync fs ${maxDelayMs.get("first sync")?.toFixed(1)} ms`,
  );
  console.log(
    `file contents read: ${contentAccess.count} open/read calls during all scans` +
      (contentAccess.calls.size > 0 ? ` (${[...contentAccess.calls].join(", ")})` : ""),
  );
  console.log(
    `targets: unchanged-tree pass <= ${TARGET_RATIO}x find's time (aim < ${AIM_RATIO}x), ` +
      "0 readdir calls, 1 lstat per folder, 0 file opens; other rows are context",
  );
  check(contentAccess.count === 0, "the scanner opened or read a file");
  for (const problem of problems) console.error(`scan: ${problem}`);
  if (missed) console.error("scan: the unchanged-tree pass missed its target");
  if (missed || problems.length > 0) process.exitCode = 1;
} finally {
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  cleanup();
}
