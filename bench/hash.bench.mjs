// PRODUCT.md §7: "hashing at the speed of sha256sum on the same files".
// Hashes the same ~1.5 GB of random "photos" (300 x 5 MB; BENCH_SCALE=0.1 for 30) with
// coreutils' sha256sum and with the built HashPool, all from the page cache, and compares.
import { Buffer } from "node:buffer";
import { spawn } from "node:child_process";
import { statfsSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  benchScale,
  bestOf,
  formatMB,
  makePhotoFiles,
  megabytesPerSecond,
  printTable,
  warmPageCache,
} from "./fixtures.mjs";

const TARGET_RATIO = 1.25; // at most 1.25x sha256sum's time
const AIM_RATIO = 1.0;
// Rounds of all measurements in turn, best per measurement: spreads the noise of a shared
// machine over all rows instead of punishing whichever ran at a bad moment.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
if (!Number.isSafeInteger(ROUNDS) || ROUNDS < 1) {
  throw new Error(`BENCH_ROUNDS must be a whole number of at least 1: ${process.env.BENCH_ROUNDS}`);
}

async function importBuilt(module) {
  try {
    return await import(pathToFileURL(join(import.meta.dirname, "../dist/hashing", module)).href);
  } catch (error) {
    if (error?.code === "ERR_MODULE_NOT_FOUND") {
      throw new Error(`dist/hashing/${module} is missing: run \`npm run build\` first`, {
        cause: error,
      });
    }
    throw error;
  }
}

/** Runs a command to completion; resolves with its stdout when `capture`, else discards it. */
function run(command, args, { capture = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ["ignore", capture ? "pipe" : "ignore", "inherit"],
    });
    const chunks = [];
    child.stdout?.on("data", (chunk) => chunks.push(chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code === 0) resolve(Buffer.concat(chunks).toString("utf8"));
      else reject(new Error(`${command} failed: exit code ${code ?? signal}`));
    });
  });
}

function slices(items, count) {
  const out = Array.from({ length: count }, () => []);
  items.forEach((item, i) => out[i % count].push(item));
  return out.filter((slice) => slice.length > 0);
}

const { HashPool } = await importBuilt("hash-pool.js");
const { hashFile } = await importBuilt("hash-file.js");

const scale = benchScale();
const count = Math.max(4, Math.round(300 * scale));
const fileSize = 5 * 1000 * 1000;
const cores = availableParallelism();
const needed = count * fileSize;
const { bavail, bsize } = statfsSync(tmpdir());
if (bavail * bsize < needed * 1.1) {
  throw new Error(
    `${tmpdir()} has ${formatMB(bavail * bsize)} free, the bench needs ${formatMB(needed)}: ` +
      "free some space, point TMPDIR elsewhere, or set BENCH_SCALE=0.1",
  );
}

console.log(
  `hash: ${count} files x ${formatMB(fileSize)} = ${formatMB(needed)}, ${cores} cores, ` +
    `page cache warm, best of ${ROUNDS} rounds`,
);
const files = makePhotoFiles({ prefix: "hash", count, size: fileSize });
try {
  warmPageCache(files.paths);
  const pool = new HashPool();
  pool.start();
  try {
    // Same answers as sha256sum first, or the timings mean nothing.
    const sample = files.paths.slice(0, 3);
    const expected = (await run("sha256sum", sample, { capture: true }))
      .trim()
      .split("\n")
      .map((line) => line.split(/\s+/)[0]);
    const got = await Promise.all(sample.map((path) => pool.hash(path)));
    if (got.some((hashes, i) => hashes.sha256 !== expected[i])) {
      throw new Error("HashPool and sha256sum disagree on a digest");
    }

    const measurements = [
      ["sha256sum (coreutils, 1 process)", false, () => run("sha256sum", files.paths)],
      [
        `sha256sum x ${cores} processes (reference)`,
        false,
        () => Promise.all(slices(files.paths, cores).map((s) => run("sha256sum", s))),
      ],
      [
        "openssl dgst -sha256, 1 process (reference)",
        false,
        () => run("openssl", ["dgst", "-sha256", ...files.paths]),
      ],
      [
        "hashFile in-process, 1 at a time (reference)",
        false,
        async () => {
          for (const path of files.paths) await hashFile(path);
        },
      ],
      [
        `HashPool (${pool.workerCount} workers), SHA-256`,
        true,
        () => Promise.all(files.paths.map((path) => pool.hash(path))),
      ],
      [
        `HashPool (${pool.workerCount} workers), SHA-256 + SHA-1`,
        true,
        () => Promise.all(files.paths.map((path) => pool.hash(path, { sha1: true }))),
      ],
    ];
    const best = measurements.map(() => Infinity);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, [, , fn]] of measurements.entries()) {
        best[i] = Math.min(best[i], await bestOf(1, fn));
      }
    }
    const results = measurements.map(([name, target], i) => ({ name, target, seconds: best[i] }));
    const sha256sum = best[0];

    let missed = false;
    printTable(
      ["", "seconds", "MB/s", "x sha256sum", "target"],
      results.map(({ name, seconds, target }) => {
        const ratio = seconds / sha256sum;
        let verdict = "";
        if (target) {
          missed ||= ratio > TARGET_RATIO;
          verdict =
            ratio > TARGET_RATIO ? "MISSED" : ratio < AIM_RATIO ? "met (< aim)" : "met (> aim)";
        }
        return [
          name,
          seconds.toFixed(3),
          megabytesPerSecond(files.totalBytes, seconds).toFixed(0),
          `${ratio.toFixed(2)}x`,
          verdict,
        ];
      }),
    );
    console.log(
      `targets: HashPool time <= ${TARGET_RATIO}x sha256sum's (aim < ${AIM_RATIO}x); ` +
        "rows marked (reference) are context, not targets",
    );
    if (missed) {
      console.error("hash: a HashPool row missed its target");
      process.exitCode = 1;
    }
  } finally {
    await pool.stop();
  }
} finally {
  files.cleanup();
}
